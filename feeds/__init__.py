"""Plan + Assessment → iCalendar (.ics) feeds: all-day deadlines, meetings when they exist.

Pure rendering: the caller (``regie.feeds``) reads the store and passes plain values in.
"""
