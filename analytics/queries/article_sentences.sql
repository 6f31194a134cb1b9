-- One article's sentences with their offsets and the records extracted from each
-- (kind, type and record id, in reading order): what the article reader highlights.
SELECT s.sentence_no, s.start_char, s.end_char,
       list({'record_id': r.record_id, 'kind': r.kind, 'type': r.type} ORDER BY r.kind, r.record_id)
           FILTER (WHERE r.record_id IS NOT NULL) AS records
FROM sentences s LEFT JOIN records r ON r.doc_id = s.doc_id AND r.sentence_no = s.sentence_no
WHERE s.doc_id = ?
GROUP BY ALL
ORDER BY s.sentence_no
