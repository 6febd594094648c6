"""English dates, one style everywhere: "7 December 2026, 14:30" (FORMAT_MODULE_PATH).

Day before month and a 24-hour clock, as the readers (in Germany) expect; never the
German "7.12.2026" nor Django's American "Dec. 7, 2026, 2:30 p.m." beside it."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
