# Day-first with the month's name, so a date never reads the American way round.
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
