-- What the corpus covers, whatever the filters: articles, their publication range, the dates
-- records refer to, and the sources.
SELECT (SELECT count(*) FROM documents) AS articles,
       (SELECT min(published) FROM documents) AS first_published,
       (SELECT max(published) FROM documents) AS last_published,
       (SELECT min(date) FROM records) AS first_record_date,
       (SELECT max(date) FROM records) AS last_record_date,
       (SELECT count(*) FROM records) AS records
