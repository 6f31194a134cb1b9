-- Source articles (documents extracted from text, not imported rows) per month of publication
-- and outlet, for every month from the first to the last of the range asked (the corpus's own
-- range when none is), zeros included: a month without sources reads as a gap, not as a month
-- in which nothing happened. Parameters: the range's first and last day, each NULL for open.
WITH arts AS (
    SELECT date_trunc('month', published)::DATE AS month,
           coalesce(nullif(trim(source), ''), 'not recorded') AS outlet
    FROM documents
    WHERE origin = 'extracted' AND published IS NOT NULL
), bounds AS (
    SELECT date_trunc('month', coalesce(?::DATE, min(month)))::DATE AS lo,
           date_trunc('month', coalesce(?::DATE, max(month)))::DATE AS hi
    FROM arts
), months AS (
    SELECT unnest(generate_series(lo, hi, INTERVAL 1 MONTH))::DATE AS month
    FROM bounds WHERE lo IS NOT NULL AND hi >= lo
)
SELECT m.month, a.outlet, count(a.month) AS articles
FROM months m LEFT JOIN arts a USING (month)
GROUP BY ALL
ORDER BY m.month, articles DESC, a.outlet
