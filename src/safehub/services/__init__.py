"""Use cases: one function each, taking the unit of work and the actor; every read and write audited."""
