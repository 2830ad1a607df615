#!/usr/bin/env python
"""Back up, restore and drill-test the registry's database (the one DATABASE_URL names).

Usage:
  python scripts/backup.py backup            # -> var/backups/kolregistry-<UTC time>.pgdump|.sqlite3
  python scripts/backup.py restore FILE      # into DATABASE_URL's database, created if missing
  python scripts/backup.py verify FILE       # restore FILE into a scratch database and compare every table
  python scripts/backup.py drill             # backup, then verify it

``make backup``, ``make restore FILE=…`` and ``make backup-drill`` call it. The logic is in
kolregistry/backup.py. Exit status 1 when the drill finds a difference.
"""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kolregistry.settings")

import django

django.setup()

from django.db import connections  # noqa: E402

from kolregistry.backup import create_backup, restore_backup, verify_backup  # noqa: E402


def verify(file):
    problems = verify_backup(file)
    for line in problems:
        print(line, file=sys.stderr)
    tables = len(connections["default"].introspection.table_names())
    print(f"{file}: {len(problems)} differences in {tables} tables (row counts and checksums)")
    return 1 if problems else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    backup = commands.add_parser("backup", help="write a timestamped backup")
    backup.add_argument("--dir", type=Path, help="directory (default: KOLREG_BACKUP_DIR or var/backups)")
    commands.add_parser("restore", help="restore a backup, replacing what it contains").add_argument("file")
    commands.add_parser("verify", help="restore a backup into a scratch database and compare").add_argument("file")
    commands.add_parser("drill", help="backup, then verify")
    arguments = parser.parse_args()

    if arguments.command == "backup":
        print(create_backup(directory=arguments.dir))
    elif arguments.command == "restore":
        restore_backup(arguments.file, connections["default"].settings_dict)
        print(f"Restored {arguments.file} into {connections['default'].settings_dict['NAME']}")
    elif arguments.command == "verify":
        return verify(arguments.file)
    else:
        path = create_backup()
        print(path)
        return verify(path)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (OSError, RuntimeError) as error:  # a missing file, pg_dump's complaint: the message says it all
        sys.exit(f"backup.py: {error}")
