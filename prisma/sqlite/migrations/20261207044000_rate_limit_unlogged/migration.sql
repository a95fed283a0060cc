-- PostgreSQL only (its RateLimit table made unlogged): on SQLite the abuse limits count in memory.
SELECT 1;
