import request from 'supertest';
import { randomBytes } from 'node:crypto';
import { startApi, uniqueName, type RunningApi } from './api-harness';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.close());

const http = () => request(api.url);
const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
const defaults = { username: 'memfleet', auth: { type: 'password', password: PASSWORD } };
const tag = () => randomBytes(4).toString('hex');

async function importInventory(body: Record<string, unknown>, status = 200) {
  const res = await http().post('/api/v1/hosts/import').send(body).expect(status);
  expect(res.text).not.toContain(PASSWORD);
  return res;
}

async function hostsWithLabel(pair: string): Promise<string[]> {
  const res = await http().get('/api/v1/hosts').query({ label: pair, limit: 500 }).expect(200);
  return (res.body.items as { name: string }[]).map((h) => h.name).sort();
}

describe('POST /api/v1/hosts/import', () => {
  it('creates INI hosts with Ansible connection vars, defaults and group labels', async () => {
    const t = tag();
    const [web, db] = [`web_${t}`, `db_${t}`];
    const inventory = [
      `[${web}]`,
      `w${t}-[1:2] ansible_port=2222`,
      `[${db}]`,
      `d${t} ansible_host=10.9.0.4 ansible_user=dbadmin ansible_password=hunter2-${t}`,
      `[prod_${t}:children]`,
      web,
      db,
      `[${web}:vars]`,
      'ansible_user=deploy',
    ].join('\n');
    const res = await importInventory({
      format: 'ini',
      inventory,
      defaults: { ...defaults, labels: { env: 'lab' } },
    });
    expect(res.text).not.toContain(`hunter2-${t}`);
    expect(res.body.format).toBe('ini');
    expect(res.body.summary).toEqual({ created: 3, skipped: 0, invalid: 0 });
    const created = res.body.created as Record<string, unknown>[];
    expect(created.map((h) => h.name)).toEqual([`w${t}-1`, `w${t}-2`, `d${t}`]);
    expect(created[0]).toMatchObject({
      address: `w${t}-1`,
      port: 2222,
      username: 'deploy',
      hasPassword: true,
      hasPrivateKey: false,
      hostKey: { policy: 'tofu', fingerprint: null },
      labels: { env: 'lab', [`group_${web}`]: 'true', [`group_prod_${t}`]: 'true' },
    });
    expect(created[2]).toMatchObject({ address: '10.9.0.4', port: 22, username: 'dbadmin' });
    expect(created[0]).not.toHaveProperty('auth');

    expect(await hostsWithLabel(`group_${web}=true`)).toEqual([`w${t}-1`, `w${t}-2`]);
    expect(await hostsWithLabel(`group_prod_${t}=true`)).toEqual(
      [`d${t}`, `w${t}-1`, `w${t}-2`].sort(),
    );
  });

  it('creates YAML hosts from nested children with their types resolved', async () => {
    const t = tag();
    const inventory = [
      'all:',
      '  vars:',
      '    ansible_port: 2200',
      '  children:',
      `    edge_${t}:`,
      '      children:',
      `        lb_${t}:`,
      '          hosts:',
      `            lb${t}:`,
      '              ansible_host: 192.0.2.7',
    ].join('\n');
    const res = await importInventory({
      inventory,
      defaults: { ...defaults, intervalSeconds: 300 },
    });
    expect(res.body.format).toBe('yaml');
    expect(res.body.created).toEqual([
      expect.objectContaining({
        name: `lb${t}`,
        address: '192.0.2.7',
        port: 2200,
        intervalSeconds: 300,
      }),
    ]);
    expect(await hostsWithLabel(`group_edge_${t}=true`)).toEqual([`lb${t}`]);
  });

  it('skips hosts whose name is taken and leaves them untouched', async () => {
    const existing = uniqueName('taken');
    const before = await http()
      .post('/api/v1/hosts')
      .send({
        name: existing,
        address: '10.0.0.1',
        username: 'keep',
        auth: { type: 'password', password: 'x' },
      })
      .expect(201);
    const fresh = uniqueName('fresh');
    const inventory = `${existing} ansible_user=other\n${fresh}\n`;
    const res = await importInventory({ inventory, defaults });
    expect(res.body.summary).toEqual({ created: 1, skipped: 1, invalid: 0 });
    expect(res.body.skipped).toEqual([
      { name: existing, reason: expect.stringContaining('already exists') },
    ]);
    const again = await importInventory({ inventory: `${fresh}\n`, defaults });
    expect(again.body.summary).toEqual({ created: 0, skipped: 1, invalid: 0 });
    const after = await http()
      .get(`/api/v1/hosts/${before.body.id as string}`)
      .expect(200);
    expect(after.body).toEqual(before.body);
  });

  it('reports each bad entry with its line and reason, and still creates the good ones', async () => {
    const t = tag();
    const inventory = [
      `good${t} ansible_user=ops`,
      `badport${t} ansible_port=ssh`,
      `bad!name${t}`,
      `r${t}[9:1]`,
      `nouser${t}`,
    ].join('\n');
    const res = await importInventory({
      format: 'ini',
      inventory,
      defaults: { auth: { type: 'password', password: PASSWORD } },
    });
    expect(res.body.created.map((h: { name: string }) => h.name)).toEqual([`good${t}`]);
    expect(res.body.invalid).toEqual([
      { name: `badport${t}`, line: 2, reason: expect.stringContaining('ansible_port') },
      { name: `bad!name${t}`, line: 3, reason: expect.stringContaining('name') },
      { name: `r${t}[9:1]`, line: 4, reason: expect.stringContaining('ends before it starts') },
      { name: `nouser${t}`, line: 5, reason: expect.stringContaining('username') },
    ]);
    expect(res.body.summary).toEqual({ created: 1, skipped: 0, invalid: 4 });
  });

  it('refuses an unparseable inventory with 400 problem+json naming the lines', async () => {
    const res = await http()
      .post('/api/v1/hosts/import')
      .send({ format: 'ini', inventory: '[web\nh1 oops\n', defaults })
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.errors).toEqual([
      { field: 'inventory', message: expect.stringMatching(/^line 1: /) },
      { field: 'inventory', message: expect.stringMatching(/^line 2: .*key=value/) },
    ]);
    const yaml = await http()
      .post('/api/v1/hosts/import')
      .send({ format: 'yaml', inventory: 'all:\n  hosts: [a\n', defaults })
      .expect(400);
    expect(yaml.body.errors[0].message).toMatch(/^line \d+: /);
  });

  it('refuses a body without defaults.auth or with an oversized inventory, echoing no secret', async () => {
    const noAuth = await importInventory({ inventory: 'h1\n', defaults: { username: 'x' } }, 400);
    expect(noAuth.body.errors).toContainEqual({ field: 'defaults.auth', message: 'required' });
    const big = await importInventory(
      { inventory: 'h\n'.repeat(600_000), defaults: { ...defaults, extra: PASSWORD } },
      400,
    );
    expect(big.body.errors).toContainEqual(expect.objectContaining({ field: 'inventory' }));
    expect(big.body.errors).toContainEqual({ field: 'defaults.extra', message: 'unknown field' });
  });

  it('answers 413 when the body passes the JSON size limit', async () => {
    const inventory = 'x'.repeat(api.config.maxBundleBytes + 1);
    const res = await http().post('/api/v1/hosts/import').send({ inventory, defaults }).expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
