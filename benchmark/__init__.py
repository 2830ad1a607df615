"""``manage.py benchmark``: the registry at national scale on a scratch PostgreSQL database (issues 12 and 14)."""
