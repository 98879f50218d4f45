import { forbiddenAddress, hostProblem } from './host-policy';

describe('host policy', () => {
  const protectedEndpoints = [
    { host: '127.0.0.1', port: 7233, what: "SDO's Temporal frontend" },
    { host: '127.0.0.1', port: 5432, database: 'sdo', what: "SDO's own app database" },
  ];

  it('refuses metadata, link-local, unspecified and multicast addresses', () => {
    for (const ip of ['169.254.169.254', '0.0.0.0', '224.0.0.1', '100.100.100.200', '::', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254']) {
      expect(forbiddenAddress(ip)).toBeDefined();
    }
    for (const ip of ['10.0.0.5', '192.168.1.10', '127.0.0.1', '::1', '2001:db8::1']) expect(forbiddenAddress(ip)).toBeUndefined();
  });

  it("refuses SDO's own Temporal frontend and app database, but not other databases on that server", async () => {
    expect(await hostProblem({ host: 'localhost', port: 7233, database: 'x' }, protectedEndpoints)).toMatch(/Temporal frontend/);
    expect(await hostProblem({ host: '127.0.0.1', port: 5432, database: 'sdo' }, protectedEndpoints)).toMatch(/app database/);
    expect(await hostProblem({ host: '127.0.0.1', port: 5432, database: 'erp' }, protectedEndpoints)).toBeUndefined();
  });

  it('refuses metadata host names and names that resolve to forbidden addresses', async () => {
    expect(await hostProblem({ host: 'metadata.google.internal', port: 80, database: 'x' }, [])).toMatch(/metadata/);
    expect(await hostProblem({ host: '169.254.169.254', port: 5432, database: 'x' }, [])).toMatch(/link-local/);
    expect(await hostProblem({ host: 'erp-db.customer.invalid', port: 5432, database: 'x' }, [])).toBeUndefined();
  });
});
