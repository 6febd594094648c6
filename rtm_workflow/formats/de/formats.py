"""German dates, one style everywhere: "7. Dezember 2026, 14:30" (FORMAT_MODULE_PATH).

Templates use the named formats only (DATE_FORMAT, DATETIME_FORMAT, SHORT_…); a
hard-coded format string would show German order in the English pages (issue 16)."""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = "j. F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j. F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
