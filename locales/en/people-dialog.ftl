# Labels of the people's dialogs (onboarding, settings, the locality picker).
locality-button = { $name }
locality-match-button = { $name } · { $district }
