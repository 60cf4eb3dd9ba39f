// The admin page: live charts of this node (polled from /api/admin/stats), rooms and their history,
// a user's connections with a disconnect button, and the settings in force. Text only through textContent.
(function () {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const EVERY_MS = Number(new URLSearchParams(location.search).get('every')) || 2000;
  const POINTS = 150;
  let key = sessionStorage.getItem('switchboard.admin.key');
  let timer = null;
  let previous = null;
  const series = { t: [], connections: [], messages: [], deliveries: [], refusals: [] };
  let connectionsChart = null;
  let ratesChart = null;

  function api(path, options) {
    const init = Object.assign({ headers: { Authorization: 'Bearer ' + key } }, options || {});
    return fetch(path, init).then((response) => {
      if (response.status === 401 || response.status === 404) {
        return response.json().catch(() => ({})).then((body) => {
          throw Object.assign(new Error(body.message || 'refused'), { status: response.status, code: body.error });
        });
      }
      if (!response.ok) throw Object.assign(new Error('HTTP ' + response.status), { status: response.status });
      return response.json();
    });
  }

  function setState(state) {
    $('state').dataset.state = state;
    $('state').textContent = state;
  }

  function chart(element, labels, colors) {
    const opts = {
      width: Math.max(300, element.clientWidth || 400),
      height: 200,
      series: [{}].concat(labels.map((label, i) => ({ label: label, stroke: colors[i], width: 2 }))),
      axes: [{}, { size: 60 }],
      scales: { x: { time: true } }
    };
    return new uPlot(opts, [[]].concat(labels.map(() => [])), element);
  }

  function push(stats) {
    const t = stats.time / 1000;
    const connections = Object.values(stats.connections).reduce((a, b) => a + b, 0);
    let rates = { messages: 0, deliveries: 0, refusals: 0 };
    if (previous) {
      const seconds = Math.max(0.001, (stats.time - previous.time) / 1000);
      const rate = (now, before) => Math.max(0, (now - before) / seconds);
      rates = {
        messages: rate(stats.messages, previous.messages),
        deliveries: rate(stats.deliveries, previous.deliveries),
        refusals: rate(stats.refusals + stats.handshakeRefusals, previous.refusals + previous.handshakeRefusals)
      };
    }
    previous = stats;
    series.t.push(t);
    series.connections.push(connections);
    series.messages.push(rates.messages);
    series.deliveries.push(rates.deliveries);
    series.refusals.push(rates.refusals);
    Object.keys(series).forEach((name) => { if (series[name].length > POINTS) series[name].shift(); });
    connectionsChart.setData([series.t, series.connections]);
    ratesChart.setData([series.t, series.messages, series.deliveries, series.refusals]);
    $('connections-now').textContent = String(connections);
    $('messages-rate').textContent = rates.messages.toFixed(1);
    $('deliveries-rate').textContent = rates.deliveries.toFixed(1);
    $('refusals-rate').textContent = rates.refusals.toFixed(1);
    $('messages-total').textContent = String(stats.messages);
    $('deliveries-total').textContent = String(stats.deliveries);
    $('refusals-total').textContent = String(stats.refusals + stats.handshakeRefusals);
    $('node').textContent = stats.node;
    $('engine').textContent = stats.engine;
    $('nodes').textContent = stats.nodes.join(', ');
  }

  function poll() {
    api('api/admin/stats').then((stats) => {
      setState('connected');
      push(stats);
      showWebhooks();
    }).catch((e) => {
      if (e.status === 401) return logout('The key was refused');
      setState('disconnected');
    }).finally(() => {
      if (key) timer = setTimeout(poll, EVERY_MS);
    });
  }

  function showRooms() {
    api('api/rooms').then((list) => {
      const body = $('rooms');
      body.replaceChildren();
      list.rooms.forEach((r) => {
        const row = document.createElement('tr');
        const name = document.createElement('td');
        const open = document.createElement('button');
        open.type = 'button';
        open.className = 'link';
        open.textContent = r.room;
        open.addEventListener('click', () => { showHistory(r.room); showModeration(r.room); });
        name.appendChild(open);
        const count = document.createElement('td');
        count.textContent = String(r.members);
        row.append(name, count);
        body.appendChild(row);
      });
    }).catch(() => {});
  }

  function showHistory(room) {
    $('history-room').textContent = room;
    api('api/rooms/' + encodeURIComponent(room) + '/history').then((history) => {
      const list = $('history');
      list.replaceChildren();
      history.messages.forEach((m) => {
        const item = document.createElement('li');
        const meta = document.createElement('span');
        meta.className = 'meta';
        meta.textContent = '#' + m.offset + ' ' + new Date(m.ts).toLocaleTimeString() + ' ' + (m.from || '');
        const text = document.createElement('span');
        if (m.type === 'deleted') text.textContent = '(deleted #' + m.target + ' by ' + m.by + ')';
        else if (m.deleted) text.textContent = '(deleted)';
        else text.textContent = m.text !== undefined ? m.text : JSON.stringify(m.data);
        item.append(meta, text);
        list.appendChild(item);
      });
    }).catch(() => { $('history').replaceChildren(); });
  }

  /** A room's mutes and bans, each with a button that lifts it, and its slow mode. */
  function showModeration(room) {
    $('moderation-room').textContent = room;
    const path = 'api/rooms/' + encodeURIComponent(room);
    api(path + '/moderation').then((m) => {
      const list = $('moderation');
      list.replaceChildren();
      const entry = (kind, what, u) => {
        const item = document.createElement('li');
        item.dataset.kind = kind;
        item.dataset.user = u.user;
        const label = document.createElement('span');
        label.textContent = what + ' ' + u.user + (u.until ? ' until ' + new Date(u.until).toLocaleString() : ' with no end');
        const lift = document.createElement('button');
        lift.type = 'button';
        lift.className = 'link small';
        lift.textContent = 'lift';
        lift.addEventListener('click', () => api(path + '/' + kind + '/' + encodeURIComponent(u.user), { method: 'DELETE' })
          .then(() => showModeration(room)).catch(() => {}));
        item.append(label, lift);
        list.appendChild(item);
      };
      m.mutes.forEach((u) => entry('mutes', 'muted', u));
      m.bans.forEach((u) => entry('bans', 'banned', u));
      if (!m.mutes.length && !m.bans.length) {
        const none = document.createElement('li');
        none.className = 'small';
        none.textContent = 'Nobody is muted or banned here.';
        list.appendChild(none);
      }
      $('slow-mode').textContent = m.slowModeSeconds > 0
        ? 'Slow mode: one message every ' + m.slowModeSeconds + ' s' + (m.slowModeSetOnRoom ? ' (set on this room)' : '')
        : 'Slow mode off';
    }).catch((e) => {
      $('moderation').replaceChildren();
      $('slow-mode').textContent = e.message;
    });
  }

  /** Each webhook URL: which node sends it, what waits, what came of it, and this node's recent tries. */
  function showWebhooks() {
    api('api/admin/webhooks').then((answer) => {
      if (!answer.webhooks.length) return;
      const box = $('webhooks');
      box.replaceChildren();
      answer.webhooks.forEach((w) => {
        const head = document.createElement('p');
        head.className = 'webhook';
        head.dataset.url = w.url;
        const url = document.createElement('code');
        url.textContent = w.url;
        const facts = document.createElement('span');
        facts.className = 'notice';
        facts.textContent = ' · sent by ' + (w.sender || 'nobody yet') + (w.sentHere ? ' (this node)' : '')
          + ' · waiting ' + w.backlog + ' · delivered ' + w.delivered + ' · refused ' + w.rejected
          + ' · failed tries ' + w.retried + ' · dropped ' + w.dropped
          + (w.retryAt ? ' · next try ' + new Date(w.retryAt).toLocaleTimeString() : '');
        head.append(url, facts);
        const tries = document.createElement('ul');
        tries.className = 'members attempts';
        w.recent.forEach((a) => {
          const item = document.createElement('li');
          item.dataset.outcome = a.outcome;
          item.textContent = new Date(a.at).toLocaleTimeString() + ' ' + a.type + ' ' + a.outcome
            + (a.status ? ' (' + a.status + ')' : '') + ' in ' + a.millis + ' ms';
          tries.appendChild(item);
        });
        box.append(head, tries);
      });
    }).catch(() => {});
  }

  function showSettings() {
    api('api/admin/settings').then((settings) => {
      const body = $('settings');
      body.replaceChildren();
      Object.keys(settings).forEach((name) => {
        const row = document.createElement('tr');
        const n = document.createElement('td');
        const code = document.createElement('code');
        code.textContent = name;
        n.appendChild(code);
        const v = document.createElement('td');
        v.textContent = settings[name] === '' ? '(unset)' : settings[name];
        row.append(n, v);
        body.appendChild(row);
      });
    }).catch(() => {});
  }

  function findUser(user) {
    api('api/admin/users/' + encodeURIComponent(user)).then((found) => {
      $('user-result').hidden = false;
      $('user-name').textContent = found.user;
      $('user-online').textContent = found.online ? 'connected' : 'not connected';
      $('user-notice').textContent = '';
      const list = $('user-connections');
      list.replaceChildren();
      found.here.forEach((c) => {
        const item = document.createElement('li');
        item.textContent = c.id + ' on ' + c.endpoint + (c.topics.length ? ' · ' + c.topics.join(', ') : '');
        list.appendChild(item);
      });
      if (found.online && found.here.length === 0) {
        const item = document.createElement('li');
        item.textContent = 'connected through another node';
        list.appendChild(item);
      }
    }).catch((e) => {
      $('user-result').hidden = false;
      $('user-name').textContent = user;
      $('user-online').textContent = e.status === 404 ? 'not a user name' : 'could not be looked up';
      $('user-connections').replaceChildren();
    });
  }

  function open() {
    $('login').hidden = true;
    $('dashboard').hidden = false;
    if (!connectionsChart) {
      connectionsChart = chart($('chart-connections'), ['connections'], ['#2f6fed']);
      ratesChart = chart($('chart-rates'), ['messages/s', 'deliveries/s', 'refusals/s'], ['#1f8a4c', '#2f6fed', '#c53030']);
    }
    poll();
    showRooms();
    showSettings();
    showWebhooks();
  }

  function logout(why) {
    key = null;
    sessionStorage.removeItem('switchboard.admin.key');
    clearTimeout(timer);
    previous = null;
    $('dashboard').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = why || '';
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    key = $('key').value.trim();
    if (!key) return;
    api('api/admin/settings').then(() => {
      sessionStorage.setItem('switchboard.admin.key', key);
      $('login-error').textContent = '';
      open();
    }).catch((err) => {
      const why = err.code === 'api_off' ? 'The server API is off: set switchboard.api.key' : 'The key was refused';
      logout(why);
    });
  });
  $('logout').addEventListener('click', () => logout(''));
  $('rooms-refresh').addEventListener('click', showRooms);
  $('moderation-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const room = $('moderation-name').value.trim();
    if (room) showModeration(room);
  });
  $('user-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const user = $('user').value.trim();
    if (user) findUser(user);
  });
  $('disconnect').addEventListener('click', () => {
    const user = $('user-name').textContent;
    api('api/users/' + encodeURIComponent(user) + '/disconnect', { method: 'POST' }).then(() => {
      $('user-notice').textContent = 'Every connection of ' + user + ' was closed (4003).';
      setTimeout(() => findUser(user), 500);
    }).catch(() => { $('user-notice').textContent = 'Could not disconnect ' + user; });
  });

  if (key) open();
}());
