"""Cases (办件): what departments decide on a case (accept, complete, reject, ask for a supplement),
what applicants do to their cases, time limits, ratings and rectifications, and the figures over
them."""
