#!/usr/bin/python3
"""Validates META.json against the PGXN Meta Spec 1.0.0 (https://pgxn.org/spec/):
the mandatory fields, the type and form of every field the spec defines, and
that unknown keys are custom ("x_" or "X_"). Also checks what only this
project knows: the provided extension's version is the control file's
default_version and its file exists.

    test/meta/validate.py [META.json]        prints TAP, exits 1 when invalid
    test/meta/validate.py --self-test        each rule rejects a broken copy
"""
import copy
import json
import os
import re
import sys

SEMVER = re.compile(r'^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z]+)?$')
# a "term": at least two characters, no whitespace, slash, backslash or control
TERM = re.compile(r'^[^\s/\\\x00-\x1f\x7f]{2,}$')
TAG = re.compile(r'^[^/\\\x00-\x1f\x7f]{1,255}$')
LICENSES = {
    'agpl_3', 'apache_1_1', 'apache_2_0', 'artistic_1', 'artistic_2', 'bsd',
    'freebsd', 'gfdl_1_2', 'gfdl_1_3', 'gpl_1', 'gpl_2', 'gpl_3', 'lgpl_2_1',
    'lgpl_3_0', 'mit', 'mozilla_1_0', 'mozilla_1_1', 'openssl', 'perl_5',
    'postgresql', 'qpl_1_0', 'ssleay', 'sun', 'zlib', 'open_source',
    'restricted', 'unrestricted', 'unknown',
}
def generated(root, name):
    """An install script that make builds: a version's full script is
    generated from the previous one and the upgrade script to it."""
    m = re.match(r'^peoplefirst--([0-9.]+)\.sql$', name)
    if not m:
        return False
    return any(re.match(r'^peoplefirst--[0-9.]+--%s\.sql$' % re.escape(m.group(1)), f)
               for f in os.listdir(root or '.'))


PHASES = {'configure', 'build', 'test', 'runtime', 'develop'}
RELATIONS = {'requires', 'recommends', 'suggests', 'conflicts'}
STATUS = {'stable', 'testing', 'unstable'}
MANDATORY = ['name', 'abstract', 'version', 'maintainer', 'license', 'provides', 'meta-spec']
KNOWN = set(MANDATORY) | {'description', 'generated_by', 'tags', 'no_index', 'prereqs',
                          'release_status', 'resources'}


def custom(key):
    return key.startswith('x_') or key.startswith('X_')


def is_str(v):
    return isinstance(v, str) and v != ''


def version_spec(v):
    # a prerequisite's version: 0 (any), a SemVer, or a range of them
    if v == 0 or v == '0':
        return True
    if not isinstance(v, str):
        return False
    for part in v.split(','):
        part = part.strip()
        m = re.match(r'^(==|!=|>=|<=|>|<)?\s*(.+)$', part)
        if not m or not SEMVER.match(m.group(2)):
            return False
    return True


def errors(meta, root='.'):
    e = []
    if not isinstance(meta, dict):
        return ['the document is not a JSON object']
    for k in MANDATORY:
        if k not in meta:
            e.append("missing mandatory field '%s'" % k)
    for k in meta:
        if k not in KNOWN and not custom(k):
            e.append("unknown field '%s' (custom fields start with x_)" % k)
    if 'name' in meta and not (isinstance(meta['name'], str) and TERM.match(meta['name'])):
        e.append('name is not a term')
    for k in ('abstract', 'description', 'generated_by'):
        if k in meta and not is_str(meta[k]):
            e.append('%s is not a non-empty string' % k)
    if 'version' in meta and not (isinstance(meta['version'], str) and SEMVER.match(meta['version'])):
        e.append('version is not a semantic version')
    m = meta.get('maintainer')
    if 'maintainer' in meta and not (is_str(m) or (isinstance(m, list) and m and all(is_str(x) for x in m))):
        e.append('maintainer is not a string or a list of strings')
    lic = meta.get('license')
    if 'license' in meta:
        if isinstance(lic, str):
            ok = lic in LICENSES
        elif isinstance(lic, list):
            ok = bool(lic) and all(isinstance(x, str) and x in LICENSES for x in lic)
        elif isinstance(lic, dict):
            ok = bool(lic) and all(is_str(k) and is_str(v) for k, v in lic.items())
        else:
            ok = False
        if not ok:
            e.append('license is not a known license string, a list of them, or a map of names to URLs')
    prov = meta.get('provides')
    if 'provides' in meta:
        if not isinstance(prov, dict) or not prov:
            e.append('provides is not a non-empty object')
        else:
            for ext, p in prov.items():
                if not TERM.match(ext):
                    e.append('provides: %s is not a term' % ext)
                if not isinstance(p, dict):
                    e.append('provides.%s is not an object' % ext)
                    continue
                for k in ('file', 'version'):
                    if k not in p:
                        e.append("provides.%s: missing mandatory field '%s'" % (ext, k))
                for k in p:
                    if k not in ('file', 'version', 'abstract', 'docfile') and not custom(k):
                        e.append("provides.%s: unknown field '%s'" % (ext, k))
                if 'version' in p and not (isinstance(p['version'], str) and SEMVER.match(p['version'])):
                    e.append('provides.%s.version is not a semantic version' % ext)
                for k in ('file', 'docfile', 'abstract'):
                    if k in p and not is_str(p[k]):
                        e.append('provides.%s.%s is not a string' % (ext, k))
                for k in ('file', 'docfile'):
                    if is_str(p.get(k)) and not os.path.isfile(os.path.join(root, p[k])) \
                            and not generated(root, p[k]):
                        e.append('provides.%s.%s: %s does not exist' % (ext, k, p[k]))
    ms = meta.get('meta-spec')
    if 'meta-spec' in meta:
        if not isinstance(ms, dict) or ms.get('version') != '1.0.0':
            e.append('meta-spec.version is not 1.0.0')
        elif any(k not in ('version', 'url') and not custom(k) for k in ms):
            e.append('meta-spec has an unknown field')
    if 'tags' in meta:
        t = meta['tags']
        if not isinstance(t, list) or not t or not all(isinstance(x, str) and TAG.match(x) for x in t):
            e.append('tags is not a list of tags')
    if 'release_status' in meta and meta['release_status'] not in STATUS:
        e.append('release_status is not stable, testing or unstable')
    if 'no_index' in meta:
        ni = meta['no_index']
        if not isinstance(ni, dict) or any(k not in ('file', 'directory') and not custom(k) for k in ni):
            e.append('no_index is not an object of file and directory lists')
    if 'prereqs' in meta:
        pr = meta['prereqs']
        if not isinstance(pr, dict):
            e.append('prereqs is not an object')
        else:
            for phase, rels in pr.items():
                if phase not in PHASES and not custom(phase):
                    e.append('prereqs: unknown phase %s' % phase)
                    continue
                if not isinstance(rels, dict):
                    e.append('prereqs.%s is not an object' % phase)
                    continue
                for rel, deps in rels.items():
                    if rel not in RELATIONS and not custom(rel):
                        e.append('prereqs.%s: unknown relation %s' % (phase, rel))
                    elif not isinstance(deps, dict):
                        e.append('prereqs.%s.%s is not an object' % (phase, rel))
                    else:
                        for name, v in deps.items():
                            if not TERM.match(name) or not version_spec(v):
                                e.append('prereqs.%s.%s.%s: bad name or version' % (phase, rel, name))
    if 'resources' in meta:
        r = meta['resources']
        if not isinstance(r, dict) or any(k not in ('homepage', 'bugtracker', 'repository') and not custom(k) for k in r):
            e.append('resources has an unknown field')
    return e


def project_errors(meta, root):
    """What only this project knows: the version matches the control file."""
    e = []
    try:
        control = open(os.path.join(root, 'peoplefirst.control')).read()
    except OSError:
        return ['peoplefirst.control not found']
    m = re.search(r"^default_version\s*=\s*'([^']*)'", control, re.M)
    default = m.group(1) if m else None
    p = meta.get('provides', {}).get('peoplefirst', {})
    if default is None or not str(p.get('version', '')).startswith(default + '.'):
        e.append("provides.peoplefirst.version %r is not default_version %r" % (p.get('version'), default))
    if p.get('file') != 'peoplefirst--%s.sql' % default:
        e.append("provides.peoplefirst.file is not the default version's install script")
    return e


def self_test(meta, root):
    """Each rule must reject a copy of the real document broken on purpose."""
    breaks = [
        ('no license', lambda m: m.pop('license')),
        ('unknown license', lambda m: m.__setitem__('license', 'postgres')),
        ('bad version', lambda m: m.__setitem__('version', '1.0')),
        ('name with a space', lambda m: m.__setitem__('name', 'people first')),
        ('no provides file', lambda m: m['provides']['peoplefirst'].pop('file')),
        ('missing provided file', lambda m: m['provides']['peoplefirst'].__setitem__('file', 'nope.sql')),
        ('other meta-spec', lambda m: m['meta-spec'].__setitem__('version', '2.0.0')),
        ('unknown key', lambda m: m.__setitem__('homepage', 'x')),
        ('bad prereq version', lambda m: m['prereqs']['runtime']['requires'].__setitem__('PostgreSQL', '15')),
        ('bad release status', lambda m: m.__setitem__('release_status', 'final')),
        ('tag with a slash', lambda m: m['tags'].append('a/b')),
    ]
    n = 0
    failed = False
    for name, brk in breaks:
        m = copy.deepcopy(meta)
        brk(m)
        n += 1
        if errors(m, root):
            print('ok %d - rejects a META.json with %s' % (n, name))
        else:
            failed = True
            print('not ok %d - rejects a META.json with %s' % (n, name))
    return n, failed


def main():
    args = sys.argv[1:]
    selftest = '--self-test' in args
    args = [a for a in args if a != '--self-test']
    path = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'META.json')
    root = os.path.dirname(os.path.abspath(path))
    try:
        meta = json.load(open(path))
    except (OSError, ValueError) as ex:
        print('1..1\nnot ok 1 - %s is valid JSON: %s' % (path, ex))
        return 1
    n = 0
    failed = False
    if selftest:
        n, failed = self_test(meta, root)
    e = errors(meta, root)
    n += 1
    print(('ok' if not e else 'not ok') + ' %d - META.json conforms to the PGXN Meta Spec 1.0.0' % n)
    for x in e:
        print('# ' + x)
    pe = project_errors(meta, root)
    n += 1
    print(('ok' if not pe else 'not ok') + ' %d - META.json provides the control file\'s default version' % n)
    for x in pe:
        print('# ' + x)
    print('1..%d' % n)
    return 1 if (failed or e or pe) else 0


if __name__ == '__main__':
    sys.exit(main())
