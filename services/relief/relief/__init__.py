"""relief: poverty relief and livelihood projects (扶贫与民生实事, plan measures 1–3)."""
