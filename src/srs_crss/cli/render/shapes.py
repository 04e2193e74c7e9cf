"""The JSON shapes of `--json` (decks, show, stats, exam show, mock, import-anki)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from srs_crss.exams.mock import Attempt, DomainScore, Question, Result
from srs_crss.exams.planning import Plan, warnings
from srs_crss.exams.tasks import TaskScore
from srs_crss.model import CardType, CardView, DeckSummary, Flag, HistoryEntry, Info
from srs_crss.sm2 import CardState
from srs_crss.study.stats import Report, readiness

if TYPE_CHECKING:
    from srs_crss.service.anki_import import ImportResult


def decks_json(summaries: Sequence[DeckSummary]) -> list[dict[str, Any]]:
    return [
        {
            "id": s.id,
            "name": s.name,
            "cards": s.cards,
            "new": s.new,
            "due": s.due,
            "retired": s.retired,
            "optional": s.optional,
        }
        for s in summaries
    ]


def info_json(info: Info) -> dict[str, Any]:
    return info._asdict()


def counts_json(counts: Sequence[tuple[str, int]], key: str) -> list[dict[str, Any]]:
    """Domains or tags with their card counts: [{"domain": ..., "cards": n}, ...]."""
    return [{key: name, "cards": n} for name, n in counts]


def _state_json(state: CardState) -> dict[str, Any]:
    return {
        "repetitions": state.repetitions,
        "ef": float(state.ef_decimal),
        "interval": state.interval,
        "due": state.due.isoformat() if state.due else None,
        "extra": state.extra,
        "lapses": state.lapses,
    }


def _history_json(entry: HistoryEntry) -> dict[str, Any]:
    after = entry.after
    return {
        "reviewed_at": entry.reviewed_at.isoformat().replace("+00:00", "Z"),
        "day": entry.day.isoformat(),
        "grade": int(entry.grade),
        "kind": entry.kind.value,
        "repetitions": after.repetitions,
        "ef": float(after.ef_decimal),
        "interval": after.interval,
        "due": after.due.isoformat() if after.due else None,
        "capped_from": entry.capped_from.isoformat() if entry.capped_from else None,
        "picked": entry.picked,
    }


def card_json(view: CardView) -> dict[str, Any]:
    card = view.card
    data: dict[str, Any] = {
        "id": card.qualified_id,
        "deck": card.deck,
        "type": card.type.value,
        "front": card.front,
    }
    if card.type is CardType.MCQ:
        data["choices"] = list(card.choices)
        data["answer"] = card.answer
    else:
        data["back"] = card.back
    data |= {
        "explanation": card.explanation,
        "domain": card.domain,
        "tags": list(card.tags),
        "source": card.source,
        "retired": card.retired,
        "suspended": None if view.suspended is None else view.suspended.value,
        "state": _state_json(view.state),
        "due_moved_from": view.moved_from.isoformat() if view.moved_from else None,
        "history": [_history_json(h) for h in view.history],
    }
    return data


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def plan_json(plan: Plan) -> dict[str, Any]:
    return {
        "deck": plan.deck,
        "date": plan.exam_day.isoformat(),
        "days_left": plan.days_left,
        "unseen": plan.unseen,
        "new_per_day": plan.new_per_day,
        "expected_reviews_per_day": plan.expected_reviews_per_day,
        "all_seen_by": plan.all_seen_by.isoformat() if plan.all_seen_by else None,
        "warnings": warnings(plan),
    }


def readiness_json(report: Report) -> list[dict[str, Any]]:
    return [readiness(d)._asdict() for d in report.stats.domains]


def report_json(report: Report) -> dict[str, Any]:
    """The `stats --json` shape."""
    s = report.stats
    weakest_domain = report.weakest
    correct = report.correct_today
    return {
        "today": {
            "due": s.due,
            "new": report.new_today,
            "reviewed": s.reviewed_today,
            "correct": None if correct is None else round(correct, 1),
        },
        "streak": report.streak,
        "retention": {"last_30_days": _pct(s.retention_30), "all_time": _pct(s.retention_all)},
        "domains": [
            {
                "domain": d.domain,
                "cards": d.cards,
                "seen": d.seen,
                "mature": d.mature,
                "retention": _pct(d.retention),
            }
            for d in s.domains
        ],
        "weakest_domain": weakest_domain.domain if weakest_domain else None,
        "forecast": [{"day": day.isoformat(), "due": due} for day, due in s.forecast],
        "calendar": [{"day": day.isoformat(), "reviews": n} for day, n in s.calendar],
        "hardest": [
            {
                "id": h.id,
                "failed": h.failed,
                "answers": h.answers,
                "ef": h.ef / 100,
                "lapses": h.lapses,
            }
            for h in s.hardest
        ],
        "crammed_today": s.crammed_today,
        "suspended": s.suspended,
        "leeches": list(s.leeches),
        "exams": [plan_json(p) for p in report.plans],
        "readiness": readiness_json(report) if report.plans else [],
        "mock_exams": mocks_json(report),
        **by_task_json(report.tasks, report.weakest_tasks),
    }


def exam_reports_json(reports: Sequence[Report]) -> list[dict[str, Any]]:
    """The `exam show --json` shape: one plan per exam, with readiness."""
    return [
        plan_json(r.plans[0])
        | {"readiness": readiness_json(r), "mock_exams": mocks_json(r)}
        | by_task_json(r.tasks, r.weakest_tasks)
        for r in reports
    ]


def mocks_json(report: Report) -> dict[str, Any]:
    """The latest practice-exam scores in stats and exam show, with their trend."""
    return {
        "latest": [attempt_json(a) for a in report.mocks],
        "trend_points": report.mock_trend,
    }


def by_task_json(scores: Sequence[TaskScore], weakest: Sequence[TaskScore]) -> dict[str, list[Any]]:
    """Results by exam task: every task (right of asked) and the weakest tasks' ids."""
    return {
        "tasks": [
            {
                "task": s.task,
                "title": s.title,
                "domain": s.domain,
                "right": s.right,
                "asked": s.asked,
            }
            for s in scores
        ],
        "weakest_tasks": [s.task for s in weakest],
    }


def _domain_json(d: DomainScore) -> dict[str, Any]:
    return {
        "domain": d.domain,
        "correct": d.correct,
        "asked": d.asked,
        "percent": round(d.percent, 1),
    }


def attempt_json(a: Attempt) -> dict[str, Any]:
    """One practice exam in `mock --history --json` (and stats)."""
    percent = a.percent
    return {
        "id": a.id,
        "profile": a.profile,
        "decks": list(a.decks),
        "started_at": a.started_at.isoformat(),
        "finished_at": a.finished_at.isoformat() if a.finished_at else None,
        "status": a.status,
        "correct": a.correct,
        "asked": a.asked,
        "percent": None if percent is None else round(percent, 1),
        "passed": None if percent is None else percent >= a.pass_percent,
        "pass_percent": a.pass_percent,
        "pass_is_estimate": a.pass_is_estimate,
        "seconds_used": round(a.used_ms / 1000, 1),
        "domains": [_domain_json(d) for d in a.domains],
    }


def mock_result_json(
    attempt: Attempt, status: str, result: Result | None, questions: Sequence[Question]
) -> dict[str, Any]:
    """The `mock --json` shape: the score, per domain, and every question (an exam
    abandoned unscored has null for the score and what follows from it)."""
    return {
        "id": attempt.id,
        "profile": attempt.profile,
        "seed": attempt.seed,
        "status": status,
        "score": None
        if result is None
        else {
            "correct": result.correct,
            "asked": result.asked,
            "percent": round(result.percent, 1),
        },
        "passed": None if result is None else result.passed,
        "pass_percent": attempt.pass_percent,
        "pass_is_estimate": attempt.pass_is_estimate,
        "seconds_used": None if result is None else round(result.seconds_used, 1),
        "time_limit_seconds": attempt.time_limit_ms // 1000,
        "weakest_domain": None if result is None else result.weakest,
        "domains": [] if result is None else [_domain_json(d) for d in result.domains],
        **by_task_json(*((result.tasks, result.weakest_tasks) if result else ((), ()))),
        "questions": [
            {
                "position": q.position,
                "card": q.card_id,
                "domain": q.domain,
                "task": q.task.id if q.task else None,
                "choices": list(q.choices),
                "picked": q.picked,
                "answer": q.answer,
                "correct": q.correct,
                "flagged": q.flagged,
                "seconds": round(q.seconds, 1),
            }
            for q in questions
        ],
        "missed_cards_first_in_review": 0
        if result is None
        else sum(not q.correct for q in questions),
    }


def import_json(result: ImportResult) -> dict[str, Any]:
    return {
        "file": str(result.path),
        "format": result.format,
        "dry_run": result.dry_run,
        "reviews_added": result.added,
        "cards_touched": result.cards,
        "reviews_already_present": result.already,
        "notes_matched": result.matched_notes,
        "notes_skipped": result.skipped_notes,
        "rows_skipped": [{"reason": reason, "count": n} for reason, n in result.skipped_rows],
        "answers_recorded_again": result.restated,
    }


def config_json(rows: Sequence[tuple[str, str | None, str, bool]]) -> list[dict[str, Any]]:
    return [
        {"key": key, "deck": deck, "value": value, "default": default}
        for key, deck, value, default in rows
    ]


def flags_json(flags: Sequence[Flag]) -> list[dict[str, Any]]:
    return [
        {
            "card": f.card,
            "learner": f.learner,
            "note": f.note,
            "flagged_at": f.created_at.isoformat().replace("+00:00", "Z"),
            "source": f.source,
        }
        for f in flags
    ]
