"""Turkish dates: "7 Aralık 2026, 14:30" (FORMAT_MODULE_PATH).

Day, month, year and a 24-hour clock; the short date with dots as in Turkey ("07.12.2026").
Separators and input formats: Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y, H:i"
