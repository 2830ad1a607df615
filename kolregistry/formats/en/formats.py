# Day-first with the month's name, so a date never reads the American way round ("Jan. 1, 2024").
DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
YEAR_MONTH_FORMAT = "M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
