-- What the corpus covers, whatever the filters: articles (documents extracted from text, not the
-- one-per-row documents of imported datasets), their publication range, the dates records of
-- every origin refer to, and the records.
SELECT (SELECT count(*) FROM documents WHERE origin = 'extracted') AS articles,
       (SELECT min(published) FROM documents WHERE origin = 'extracted') AS first_published,
       (SELECT max(published) FROM documents WHERE origin = 'extracted') AS last_published,
       (SELECT min(date) FROM record_facts) AS first_record_date,
       (SELECT max(date) FROM record_facts) AS last_record_date,
       (SELECT count(*) FROM record_facts) AS records
