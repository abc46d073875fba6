"""Units of time the model converts between (one step is one month)."""

#: Months in a year: annual rates (attrition, costs) become monthly ones.
MONTHS_PER_YEAR = 12
#: Weeks in a month (365.25 days a year / 7 days a week / 12 months).
WEEKS_PER_MONTH = 365.25 / 7 / MONTHS_PER_YEAR
