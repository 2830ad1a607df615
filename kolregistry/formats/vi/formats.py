# Short numeric dates, as Vietnamese offices write them; Django's own are "d-m-Y" and "F Y".
SHORT_DATE_FORMAT = "d/m/Y"
YEAR_MONTH_FORMAT = "m/Y"
