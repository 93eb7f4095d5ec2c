-- Calls made to the optional LLM summary provider, per UTC day, for its daily cap.

CREATE TABLE llm_usage (
    day TEXT PRIMARY KEY,  -- ISO date, UTC
    calls INTEGER NOT NULL CHECK (calls >= 0)
);
