# syntax=docker/dockerfile:1
# The BFF image: the built widget and loader, the TypeScript sources run by tsx (a runtime
# dependency), production dependencies only, a non-root user, and a health check on /healthz.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json vite.config.ts vite.loader.config.ts ./
COPY src ./src
RUN npm run build

FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    TENANTS_FILE=/app/config/tenants.json \
    DATA_DIR=/tmp/picasso
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --chown=root:root package.json tsconfig.json ./
COPY --chown=root:root src/bff ./src/bff
COPY --chown=root:root config ./config
# The app only reads its files: root owns them, the process runs as the unprivileged node user.
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# tsx is loaded in-process, so SIGTERM reaches the server itself and the graceful drain runs.
CMD ["node", "--import", "tsx", "src/bff/start.ts"]
