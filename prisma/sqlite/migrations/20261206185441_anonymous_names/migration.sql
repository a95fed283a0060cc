-- A person the platform gave no name for (an anonymous web visitor) has an empty display name;
-- until now their platform id was stored there. Agents see "unknown name" instead of an id.
UPDATE "User" SET "displayName" = ''
WHERE EXISTS (SELECT 1 FROM "Identity" WHERE "Identity"."userId" = "User"."id" AND "Identity"."externalId" = "User"."displayName");
