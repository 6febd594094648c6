"""Farsi dates: "7 دسامبر 2026، 14:30" (FORMAT_MODULE_PATH).

The Gregorian calendar (the dates are German deadlines and meetings), a 24-hour clock; the
short date in the year/month/day order Iranian and Afghan readers know. Separators and
input formats: Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d، H:i"
