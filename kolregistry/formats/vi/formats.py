# Short numeric dates, as Vietnamese offices write them; Django's own are "d-m-Y" and "F Y", and its long
# DATE_FORMAT ("Ngày 01 tháng 1 năm 2024") is too wide for a list column, so every date is numeric here.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
# Django's Vietnamese formats set the separators but no grouping, so figures would print ungrouped.
NUMBER_GROUPING = 3
