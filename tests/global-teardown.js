// Stops the run server the global setup started (its workers exit when told).
module.exports = async function globalTeardown() {
    const server = globalThis.__planRunServer;
    if (server) {
        await server.close();
    }
};
