-- Contested claims: a claim or accusation and its denial or rejection, linked across sentences and
-- articles (analytics/derive/contested.py), when either side matches the filters; newest first.
WITH m AS (SELECT r.record_id FROM record_facts r WHERE {where})
SELECT c.claim_date, c.claim_speaker, c.claim_stance, c.claim_sentence, c.claim_article, c.counter_date,
       c.counter_speaker, c.counter_stance, c.counter_sentence, c.counter_article, c.reason,
       array_to_string(c.shared_themes, ', ') AS shared_themes, c.incident_id, c.pair_id,
       c.claim_record_id, c.counter_record_id
FROM contested_claims c
WHERE c.claim_record_id IN (SELECT record_id FROM m) OR c.counter_record_id IN (SELECT record_id FROM m)
ORDER BY greatest(c.claim_date, c.counter_date) DESC NULLS LAST, c.pair_id
{limit}
