"""The Starlette app: the routes, the error pages and the middleware, put together.

Every page is a plain HTML form that works with scripts off: a POST does one
thing and answers "303 See Other" to the page that shows the result, so a
reload never answers a card twice. Every request calls the server's one
`App` (Web.app); a review in progress keeps its session in a `Sitting`
between clicks. With `cohort` (`serve --cohort`) the pages sit behind the
sign-in gate (signin.py), each given the signed-in learner's own `Web`, and
the instructor's pages (instructor.py) are added.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from srs_crss.errors import SrsError
from srs_crss.settings.run import Settings
from srs_crss.web import exam, instructor, pages, review, security, signin
from srs_crss.web.base import HERE, Web
from srs_crss.web.signin import Need

Handler = Callable[[Web, Request], Awaitable[Response]]


def build(
    settings: Settings, lan: bool = False, web: Web | None = None, cohort: bool = False
) -> Starlette:
    """The ASGI app over these settings (`web` to share its secrets with the caller);
    `cohort`: every page but signing in needs an account (Web.cohort)."""
    state = web or Web(settings, lan=lan, cohort=cohort)

    def bind(
        handler: Handler, need: Need = Need.LEARNER
    ) -> Callable[[Request], Awaitable[Response]]:
        inner = signin.gate(state, handler, need) if state.cohort else None

        async def endpoint(request: Request) -> Response:
            try:
                if inner is not None:
                    return await inner(request)
                return await handler(state, request)
            except SrsError as exc:
                status = 400 if exc.exit_code == 2 else 500
                return state.page(request, "error.html", status, message=str(exc))

        return endpoint

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        message = exc.detail if exc.status_code != 404 else "There is no page at this address."
        return state.page(request, "error.html", exc.status_code, message=message)

    routes = [
        Route("/", bind(pages.home)),
        Route("/review", bind(review.start_form), methods=["GET"]),
        Route("/review", bind(review.start), methods=["POST"]),
        Route("/review/{key}", bind(review.show), methods=["GET"]),
        Route("/review/{key}", bind(review.act), methods=["POST"]),
        Route("/exam", bind(exam.start_form), methods=["GET"]),
        Route("/exam", bind(exam.start), methods=["POST"]),
        Route("/exam/resume", bind(exam.resume), methods=["POST"]),
        Route("/exam/{number}", bind(exam.question), methods=["GET"]),
        Route("/exam/{number}", bind(exam.act), methods=["POST"]),
        Route("/exam/{number}/submit", bind(exam.confirm), methods=["GET"]),
        Route("/exam/{number}/submit", bind(exam.submit), methods=["POST"]),
        Route("/exam/{number}/result", bind(exam.result), methods=["GET"]),
        Route("/progress", bind(pages.progress), methods=["GET"]),
        Route("/progress", bind(pages.change), methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    if state.cohort:
        routes += [
            Route("/signin", bind(signin.sign_in_form, Need.ANYONE), methods=["GET"]),
            Route("/signin", bind(signin.sign_in, Need.ANYONE), methods=["POST"]),
            Route("/password", bind(signin.password_form, Need.SIGNED_IN), methods=["GET"]),
            Route("/password", bind(signin.change_password, Need.SIGNED_IN), methods=["POST"]),
            Route("/signout", bind(signin.sign_out, Need.SIGNED_IN), methods=["POST"]),
            Route("/class", bind(instructor.class_page, Need.INSTRUCTOR), methods=["GET"]),
            Route("/class.csv", bind(instructor.class_download, Need.INSTRUCTOR)),
            Route("/class/exam", bind(instructor.set_exam, Need.INSTRUCTOR), methods=["POST"]),
            Route("/items", bind(instructor.items_page, Need.INSTRUCTOR), methods=["GET"]),
            Route("/flags", bind(instructor.flags_page, Need.INSTRUCTOR), methods=["GET"]),
        ]

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        state.close()

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error},
        lifespan=lifespan,
    )
    if not state.cohort:  # a cohort server is for other machines: sign-in guards it
        app.add_middleware(security.Guard, secrets=state.secrets, lan=state.lan)
    app.add_middleware(security.Headers)
    return app
