# Guichet's image: the README's own steps (npm ci, npm run build, npm start), in two stages.
#   docker build -t guichet .      docker run -p 3978:3978 -e SESSION_SECRET=… guichet
# The build stage has the compilers better-sqlite3 may need and TypeScript; the runtime stage keeps
# only production dependencies, the compiled server (dist/) and the content folders, and runs as the
# unprivileged "node" user. Configuration comes from the environment (.env.example, README).

FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Dependencies first (cached until the lock file changes); postinstall generates the Prisma clients.
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma prisma
RUN npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3978 \
    DATABASE_URL=file:/app/data/guichet.db
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json ./
COPY --from=build /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY --from=build /app/scripts/build.mjs scripts/build.mjs
COPY --from=build /app/prisma prisma
COPY --from=build /app/knowledge knowledge
COPY --from=build /app/dialogs dialogs
COPY --from=build /app/config config
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3978
VOLUME ["/app/data"]
# Liveness: the process serves HTTP (readiness, /readyz, also checks the database).
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3978)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: graceful shutdown (turns in flight finish within SHUTDOWN_TIMEOUT_SECONDS).
STOPSIGNAL SIGTERM
CMD ["npm", "start"]
