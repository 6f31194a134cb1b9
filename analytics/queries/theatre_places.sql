-- Events per theatre and place, for the treemap and the theatre -> place drill-down.
SELECT coalesce(r.theatre, 'Theatre not known') AS theatre, coalesce(r.location, 'No place named') AS place,
       count(*) AS events
FROM record_facts r
WHERE r.kind = 'event' AND {where}
GROUP BY ALL
ORDER BY events DESC, theatre, place
