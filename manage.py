#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main() -> None:
    # A developer's checkout: `make` writes .env.local (DEBUG=true) so that manage.py
    # commands work without exporting anything. Only manage.py reads it (and the processes
    # it starts inherit it): gunicorn or Celery started by hand from a checkout stay in
    # production mode and refuse to start without a SECRET_KEY. Real variables win.
    from rtm_workflow.env import load_env_file

    load_env_file(Path(__file__).resolve().parent / ".env.local")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rtm_workflow.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
