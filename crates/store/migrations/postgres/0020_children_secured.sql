-- Children secured under art. 12a (issue 15, item 10): the statutory line is now counted from the team's records of
-- a child's placement, plus what the social welfare centre enters for placements outside the team's cases. A value
-- entered before for the whole line was the institution's own count: it is kept as that entered part.
UPDATE statutory_entry SET line_id = 'children_secured_elsewhere' WHERE line_id = 'children_secured';
