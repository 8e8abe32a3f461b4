"""/insights: what families look for and don't find, for staff (services/insights)."""
