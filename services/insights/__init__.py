"""What families look for and don't find: the demand log (every question and list search,
without the person) and the department's report on it (/insights, `python -m bot report
demand`)."""
