"""Arabic dates: "7 ديسمبر 2026، 14:30" (FORMAT_MODULE_PATH; month names from Django's catalogue).

A 24-hour clock and Western digits, as on every other page of a German site; the short date
keeps day/month/year with right-to-left marks (as Django's own Arabic format) so the parts
do not swap places in a right-to-left line. Separators and input formats: Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d\u200f/m\u200f/Y"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y، H:i"
