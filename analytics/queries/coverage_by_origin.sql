-- Records per origin and kind, whatever the filters, with the documents behind each origin:
-- articles for 'extracted', one document per imported row for a dataset.
WITH per_kind AS (
    SELECT origin, kind, count(*) AS records FROM records GROUP BY ALL
)
SELECT k.origin, k.kind, k.records,
       (SELECT count(*) FROM documents d WHERE d.origin = k.origin) AS documents
FROM per_kind k
ORDER BY k.origin <> 'extracted', k.origin, k.records DESC, k.kind
