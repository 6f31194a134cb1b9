-- Located events per place and coordinates: the points of the map. An imported event sits at
-- the dataset's own coordinates, so it is mapped even where the places vocabulary does not know
-- its place; an extracted event takes its place's coordinates from the places table.
SELECT coalesce(r.location, 'No place named') AS place, coalesce(r.theatre, 'Theatre not known') AS theatre,
       coalesce(r.lat, p.lat) AS lat, coalesce(r.lon, p.lon) AS lon, count(*) AS events
FROM record_facts r LEFT JOIN places p ON p.name = r.location
WHERE r.kind = 'event' AND {where} AND coalesce(r.lat, p.lat) IS NOT NULL AND coalesce(r.lon, p.lon) IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, place, lat, lon
