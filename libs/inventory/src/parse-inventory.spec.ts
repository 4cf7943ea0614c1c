import { detectInventoryFormat, parseInventory, type InventoryHost } from './index';

function hostsOf(text: string, format: 'ini' | 'yaml' | 'auto' = 'auto'): InventoryHost[] {
  const result = parseInventory(text, format);
  if (result.kind !== 'ok') throw new Error(JSON.stringify(result.errors));
  return [...result.hosts];
}
const byName = (hosts: InventoryHost[], name: string) => hosts.find((h) => h.name === name);

const INI = `
# fleet
bastion.example.com ansible_user=ops

[web]
web[01:03].example.com ansible_user=deploy
lb1 ansible_host=10.0.0.9 ansible_port=2222 note="two words"  # trailing comment

[db]
db-[a:b] ansible_host=10.0.1.1
db-c:2200

[prod:children]
web
db

[prod:vars]
ansible_user = produser
tier='gold'

[all:vars]
ansible_port=22
tier=bronze
`;

describe('parseInventory (INI)', () => {
  it('expands numeric ranges with their zero padding and letter ranges', () => {
    const names = hostsOf(INI).map((h) => h.name);
    expect(names).toEqual([
      'bastion.example.com',
      'web01.example.com',
      'web02.example.com',
      'web03.example.com',
      'lb1',
      'db-a',
      'db-b',
      'db-c',
    ]);
  });

  it('reads host vars, quoted values and the host:port shorthand', () => {
    const hosts = hostsOf(INI);
    expect(byName(hosts, 'lb1')?.vars).toMatchObject({
      ansible_host: '10.0.0.9',
      ansible_port: '2222',
      note: 'two words',
    });
    expect(byName(hosts, 'db-c')?.vars.ansible_port).toBe('2200');
  });

  it('gives hosts the groups of their parents through :children, never all or ungrouped', () => {
    const hosts = hostsOf(INI);
    expect(byName(hosts, 'web02.example.com')?.groups).toEqual(['prod', 'web']);
    expect(byName(hosts, 'db-a')?.groups).toEqual(['db', 'prod']);
    expect(byName(hosts, 'bastion.example.com')?.groups).toEqual([]);
  });

  it('lets child group vars beat parent vars beat all:vars, and host vars beat them all', () => {
    const hosts = hostsOf(INI);
    expect(byName(hosts, 'db-a')?.vars).toMatchObject({
      ansible_user: 'produser',
      tier: 'gold',
      ansible_port: '22',
    });
    expect(byName(hosts, 'web01.example.com')?.vars.ansible_user).toBe('deploy');
    expect(byName(hosts, 'bastion.example.com')?.vars).toMatchObject({ tier: 'bronze' });
  });

  it('merges a host listed in two groups into one host with both groups', () => {
    const hosts = hostsOf('[a]\nh1 x=1\n[b]\nh1 y=2\n');
    expect(hosts).toHaveLength(1);
    expect(hosts[0]).toMatchObject({ name: 'h1', groups: ['a', 'b'], vars: { x: '1', y: '2' } });
  });

  it('reports a bad range as one invalid entry and keeps the other hosts', () => {
    const result = parseInventory('[web]\nweb[3:1]\nweb[a:9]\nok1\n', 'ini');
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    expect(result.hosts.map((h) => h.name)).toEqual(['ok1']);
    expect(result.invalid).toEqual([
      { name: 'web[3:1]', line: 2, reason: expect.stringContaining('ends before it starts') },
      { name: 'web[a:9]', line: 3, reason: expect.stringContaining('is not a range') },
    ]);
  });

  it('refuses an unreadable inventory naming every bad line', () => {
    const result = parseInventory('[web\nh1 ansible_port\n[x:hosts]\n[y:weird]\nh2 "open\n', 'ini');
    expect(result.kind).toBe('error');
    if (result.kind !== 'error') return;
    expect(result.errors.map((e) => e.line)).toEqual([1, 2, 4, 5]);
    expect(result.errors[1]?.message).toContain('not a key=value');
    expect(result.errors[2]?.message).toContain('unknown section kind');
  });

  it('refuses a group that contains itself through children', () => {
    const result = parseInventory('[a:children]\nb\n[b:children]\na\n', 'ini');
    expect(result).toMatchObject({ kind: 'error', errors: [{ line: 4 }] });
  });

  it('refuses a range that would expand past the host limit', () => {
    const big = parseInventory('h[1:100000]\n', 'ini', 1000);
    expect(big).toMatchObject({ kind: 'ok', hosts: [] });
    if (big.kind === 'ok') expect(big.invalid[0]?.reason).toContain('more than 1000');
    const many = parseInventory('a[1:600]\nb[1:600]\n', 'ini', 1000);
    expect(many).toMatchObject({ kind: 'error', errors: [{ line: 2 }] });
  });
});

const YAML = `
all:
  vars:
    ansible_user: admin
  hosts:
    jump01:
      ansible_host: 192.0.2.10
  children:
    web:
      vars:
        ansible_port: 2222
      hosts:
        web[1:2]:
        web3:
          ansible_port: 2200
    storage:
      children:
        db:
          hosts:
            10.0.3.4:
          vars:
            ansible_user: dbadmin
`;

describe('parseInventory (YAML)', () => {
  it('walks nested children, keeping numeric-looking names as written', () => {
    const hosts = hostsOf(YAML);
    expect(hosts.map((h) => h.name)).toEqual(['jump01', 'web1', 'web2', 'web3', '10.0.3.4']);
    expect(byName(hosts, '10.0.3.4')?.groups).toEqual(['db', 'storage']);
    expect(byName(hosts, 'jump01')?.groups).toEqual([]);
  });

  it('resolves vars by depth with host vars last, keeping YAML types', () => {
    const hosts = hostsOf(YAML);
    expect(byName(hosts, 'web1')?.vars).toEqual({ ansible_user: 'admin', ansible_port: 2222 });
    expect(byName(hosts, 'web3')?.vars.ansible_port).toBe(2200);
    expect(byName(hosts, '10.0.3.4')?.vars.ansible_user).toBe('dbadmin');
  });

  it('honours anchors and merge keys in host vars, as PyYAML does', () => {
    const text = [
      'all:',
      '  hosts:',
      '    a1: &base',
      '      ansible_user: ops',
      '      ansible_port: 2201',
      '    a2:',
      '      <<: *base',
      '      ansible_port: 2202',
    ].join('\n');
    const hosts = hostsOf(text, 'yaml');
    expect(byName(hosts, 'a2')?.vars).toEqual({ ansible_user: 'ops', ansible_port: 2202 });
  });

  it('reports a host whose vars are not a mapping as invalid and keeps its siblings', () => {
    const result = parseInventory('all:\n  hosts:\n    good1:\n    bad1: just-a-string\n', 'yaml');
    expect(result).toMatchObject({
      kind: 'ok',
      hosts: [{ name: 'good1' }],
      invalid: [{ name: 'bad1', line: 4, reason: expect.stringContaining('mapping') }],
    });
  });

  it('refuses malformed YAML and misshapen groups with their line numbers', () => {
    const broken = parseInventory('all:\n  hosts:\n    a: [1\n', 'yaml');
    expect(broken.kind).toBe('error');
    if (broken.kind === 'error') expect(broken.errors[0]?.line).toBeGreaterThanOrEqual(3);
    const shaped = parseInventory('all:\n  hosts:\n    - web1\n  hostz:\n    x:\n', 'yaml');
    expect(shaped).toMatchObject({
      kind: 'error',
      errors: [
        { line: 2, message: expect.stringContaining('"hosts" of group "all"') },
        { line: 4, message: expect.stringContaining('hostz') },
      ],
    });
  });
});

describe('parseInventory (either syntax)', () => {
  it('reads an empty inventory as no hosts', () => {
    expect(parseInventory('', 'auto')).toMatchObject({ kind: 'ok', hosts: [], invalid: [] });
    expect(parseInventory('# nothing\n', 'yaml')).toMatchObject({ kind: 'ok', hosts: [] });
  });

  it('refuses YAML that is not a mapping of groups, and duplicate keys', () => {
    expect(parseInventory('- a\n- b\n', 'yaml')).toMatchObject({
      kind: 'error',
      errors: [{ line: 1, message: expect.stringContaining('mapping of groups') }],
    });
    const dup = parseInventory('all:\n  hosts:\n    a:\n    a:\n', 'yaml');
    expect(dup).toMatchObject({
      kind: 'error',
      errors: [{ line: 3, message: expect.stringMatching(/unique/) }],
    });
  });
});

describe('detectInventoryFormat', () => {
  it.each([
    ['[web]\nh1\n', 'ini'],
    ['h1 ansible_host=1.2.3.4\nh2\n', 'ini'],
    ['h1:2222\n', 'ini'],
    ['# c\nall:\n  hosts:\n', 'yaml'],
    ['---\nall: {}\n', 'yaml'],
  ])('reads %j as %s', (text, format) => {
    expect(detectInventoryFormat(text)).toBe(format);
  });
});
