"""Applications: guidance and pre-filling, the pages' drafts, uploaded materials, the submission
of one merged form, and what applicants read of their applications."""
