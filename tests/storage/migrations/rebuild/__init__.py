"""A real 12-step rebuild of ``sources``, marked to run with foreign keys off."""
