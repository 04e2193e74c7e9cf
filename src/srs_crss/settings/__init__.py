"""Settings, one name per idea.

`keys`: the settings a learner keeps in the database (`srs-crss config`), with
their defaults and checks. `run`: one command run's choices (the database, the
learner, the rollover hour), resolved from options and the environment.
The `config` command's service is `srs_crss.service.preferences`.

May import: the core only.
"""
