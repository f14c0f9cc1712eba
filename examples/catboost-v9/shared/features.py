"""Feature code shared by training and serving (33 features)."""
FEATURE_COUNT = 33
