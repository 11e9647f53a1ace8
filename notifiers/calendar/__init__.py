"""Calendar: tasks as iCalendar components (events, alarms, time zones) and the feeds built
from them. The mail's .ics attachment is built here too, by the same code as a feed event."""
