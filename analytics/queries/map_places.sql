-- Located events per place: the points of the map. An imported event sits at the dataset's own
-- coordinates, so it is mapped even where the places vocabulary does not know its place; an
-- extracted event takes its place's coordinates from the places table. One point per named place
-- (imported coordinates of one place averaged: datasets give a town many slightly different
-- points, and thousands of SVG markers took seconds to draw), and events without a place name
-- pooled per tenth of a degree (about 10 km), so a point never stands for far-apart events.
WITH located AS (
    SELECT coalesce(r.location, 'No place named') AS place, coalesce(r.theatre, 'Theatre not known') AS theatre,
           coalesce(r.lat, p.lat) AS lat, coalesce(r.lon, p.lon) AS lon, r.lat IS NOT NULL AS own,
           r.location IS NULL AS unnamed
    FROM record_facts r LEFT JOIN places p ON p.name = r.location
    WHERE r.kind = 'event' AND {where} AND coalesce(r.lat, p.lat) IS NOT NULL AND coalesce(r.lon, p.lon) IS NOT NULL
)
SELECT place, theatre, avg(lat) AS lat, avg(lon) AS lon, count(*) AS events
FROM located
GROUP BY place, theatre, own, CASE WHEN unnamed THEN round(lat, 1) END, CASE WHEN unnamed THEN round(lon, 1) END
ORDER BY events DESC, place, lat, lon
