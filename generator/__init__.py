"""TF-GBV Law Atlas generator: load, validate, model, analyse, render and export the records in laws/."""
