-- Located events per place with the place's coordinates: the points of the map.
SELECT r.location AS place, coalesce(r.theatre, 'Theatre not known') AS theatre, p.lat, p.lon,
       count(*) AS events
FROM records r JOIN places p ON p.name = r.location
WHERE r.kind = 'event' AND {where} AND p.lat IS NOT NULL AND p.lon IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, place
