-- The origins records in the database come from ('extracted' first, then the imported datasets):
-- the choices of the origin filter, and what a link's `origin` may name. Read from the record
-- tables, not the records view, so it stays cheap beside a million imported events.
SELECT origin FROM (
    SELECT DISTINCT origin FROM events
    UNION SELECT DISTINCT origin FROM aid_figures
    UNION SELECT DISTINCT origin FROM diplomatic_items
    UNION SELECT DISTINCT origin FROM statements
)
ORDER BY origin <> 'extracted', origin
