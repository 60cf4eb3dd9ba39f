// The chat page: rooms, members, private conversations, typing, unread counts, reconnects.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const params = new URLSearchParams(location.search);
  // A conversation is a room ('#lobby') or a private one ('@bob'); each keeps its own messages.
  const conversations = new Map();
  let chat = null;
  let active = null;
  const typing = TypingLine($('typing')); // for the open conversation only
  let lastTypingSent = 0;

  // The own message being edited (its conversation and offset), while the input holds its text; null otherwise.
  let editing = null;
  // The message the next say or whisper answers (its conversation and offset), while the page shows it above the input; null otherwise.
  let replying = null;

  // What the page asks of a message, in a room ('#room') or in the whispers with someone ('@user').
  const ask = {
    react: (key, offset, emoji, remove) => (isRoom(key) ? chat.react(key.slice(1), offset, emoji, remove)
      : chat.reactWhisper(key.slice(1), offset, emoji, remove)),
    edit: (key, offset, text) => (isRoom(key) ? chat.edit(key.slice(1), offset, text) : chat.editWhisper(key.slice(1), offset, text)),
    remove: (key, offset) => (isRoom(key) ? chat.deleteMessage(key.slice(1), offset) : chat.deleteWhisper(key.slice(1), offset))
  };

  function stopReplying() {
    replying = null;
    $('replying').hidden = true;
  }
  // Whom this page whispers with: watched, so their conversations show whether they are online.
  const statusOf = new Map();
  // How far this user's whispers got with each correspondent: the last delivered and read, by id.
  const receiptOf = new Map();

  function conversation(key) {
    if (!conversations.has(key)) {
      conversations.set(key, { key: key, messages: [], unread: 0, members: [], reads: {} });
      if (!isRoom(key) && chat) chat.watch(Array.from(conversations.keys()).filter((k) => !isRoom(k)).map((k) => k.slice(1)));
      renderConversations();
    }
    return conversations.get(key);
  }

  /** "online", or when the user was last seen, for a private conversation's line. */
  function statusLine(user) {
    const s = statusOf.get(user);
    if (!s) return '';
    if (s.online) return 'online';
    return s.lastSeen ? 'last seen ' + new Date(s.lastSeen).toLocaleTimeString() : 'offline';
  }

  function isRoom(key) {
    return key.charAt(0) === '#';
  }

  function renderConversations() {
    const list = $('conversations');
    list.replaceChildren();
    conversations.forEach((c) => {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link' + (c.key === active ? ' active' : '');
      button.dataset.key = c.key;
      button.textContent = c.key;
      button.addEventListener('click', () => open(c.key));
      item.append(button);
      if (!isRoom(c.key) && statusOf.has(c.key.slice(1))) {
        const status = document.createElement('span');
        status.className = 'status small';
        status.dataset.online = String(statusOf.get(c.key.slice(1)).online);
        status.textContent = statusLine(c.key.slice(1));
        item.append(status);
      }
      if (c.unread > 0) {
        const badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = String(c.unread);
        item.append(badge);
      }
      list.append(item);
    });
  }

  function renderMembers() {
    const list = $('members');
    list.replaceChildren();
    const c = active && conversations.get(active);
    if (!c || !isRoom(c.key)) return;
    c.members.forEach((name) => {
      const item = document.createElement('li');
      const label = document.createElement('span');
      label.textContent = name;
      item.append(label);
      if (name !== chat.user) {
        const whisper = document.createElement('button');
        whisper.type = 'button';
        whisper.className = 'link small';
        whisper.textContent = 'message';
        whisper.dataset.whisper = name;
        whisper.addEventListener('click', () => open('@' + name));
        item.append(whisper);
      }
      list.append(item);
    });
    if (c.count > c.members.length) {
      // Big rooms list their first members only; the count is exact.
      const more = document.createElement('li');
      more.className = 'small';
      more.textContent = 'and ' + (c.count - c.members.length) + ' more';
      list.append(more);
    }
  }

  function renderMessages() {
    const list = $('messages');
    list.replaceChildren();
    const c = conversations.get(active);
    showOlder();
    if (!c) return;
    c.messages.forEach((m) => list.append(messageItem(m)));
    list.scrollTop = list.scrollHeight;
    renderSeen();
    markRead();
  }

  /** "Seen by …" under a room's last message: the other members whose read position reached it. */
  function renderSeen() {
    const c = active && conversations.get(active);
    const last = c && isRoom(c.key) && c.messages.slice().reverse().find((m) => m.offset && m.kind !== 'event');
    const seenBy = last ? Object.keys(c.reads).filter((user) => user !== chat.user && c.reads[user] >= last.offset).sort() : [];
    $('seen').textContent = seenBy.length ? 'Seen by ' + seenBy.join(', ') : '';
  }

  /** The open conversation is read up to what it shows, while the page is in view: told to the server (at most once a second). */
  function markRead() {
    const c = active && conversations.get(active);
    if (!c || !chat || document.visibilityState === 'hidden') return;
    if (isRoom(c.key)) {
      chat.markRead(c.key.slice(1));
    } else {
      const last = c.messages.slice().reverse().find((m) => m.offset && m.kind === 'theirs');
      if (last) chat.markRead({ with: c.key.slice(1) }, last.offset);
    }
  }

  /** Sent, delivered or read, for one of this user's whispers: where it stands against the last delivered and read. */
  function receiptState(c, m) {
    const got = receiptOf.get(c.key.slice(1)) || {};
    const mine = c.messages.filter((x) => x.kind === 'mine' && x.id);
    const index = mine.indexOf(m);
    const at = (id) => mine.findIndex((x) => x.id === id);
    if (got.read && index <= at(got.read)) return 'read';
    if (got.delivered && index <= at(got.delivered)) return 'delivered';
    return 'sent';
  }

  /** The oldest message's offset in a room's list (0: none yet). */
  function oldestOffset(c) {
    const first = c.messages.find((m) => m.offset);
    return first ? first.offset : 0;
  }

  /** "Load older" shows in a room whose oldest message shown is not its first, unless the room said it keeps no older. */
  function showOlder() {
    const c = active && conversations.get(active);
    $('older').hidden = !c || !isRoom(c.key) || c.more === false || oldestOffset(c) <= 1;
  }

  function loadOlder() {
    const c = active && conversations.get(active);
    if (!c || !isRoom(c.key) || c.loading || $('older').hidden) return;
    c.loading = true;
    chat.history(c.key.slice(1), oldestOffset(c), 50);
  }

  function messageItem(m) {
    const item = document.createElement('li');
    item.className = m.kind + (m.deleted ? ' deleted' : '');
    if (m.id) item.dataset.id = m.id;
    if (m.offset) item.dataset.offset = String(m.offset);
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = (m.ts ? new Date(m.ts).toLocaleTimeString() + ' ' : '') + (m.from || '');
    const text = document.createElement('span');
    text.className = 'text';
    text.textContent = m.deleted ? '(deleted)' : m.text;
    if (m.replyTo) {
      // The answered message as the server quoted it from the room's log.
      const quote = document.createElement('span');
      quote.className = 'quote';
      quote.dataset.offset = String(m.replyTo.offset);
      const c0 = conversations.get(active);
      const original = c0 && c0.messages.find((x) => x.offset === m.replyTo.offset);
      quote.textContent = m.replyTo.deleted || (original && original.deleted) ? '↪ (deleted)'
        : '↪ ' + m.replyTo.from + ': ' + (m.replyTo.text === undefined ? '…' : m.replyTo.text);
      item.append(quote);
    }
    item.append(meta, text);
    const c = conversations.get(active);
    if (m.edited && !m.deleted) {
      const mark = document.createElement('span');
      mark.className = 'meta edited';
      mark.textContent = ' (edited)';
      item.append(mark);
    }
    if (c && m.offset && !m.deleted && m.kind !== 'event') {
      item.append(reactionChips(c.key, m));
      const reply = document.createElement('button');
      reply.type = 'button';
      reply.className = 'link small';
      reply.dataset.action = 'reply';
      reply.textContent = 'reply';
      reply.addEventListener('click', () => {
        replying = { key: c.key, offset: m.offset };
        $('replying-to').textContent = 'Replying to ' + m.from + ': ' + m.text;
        $('replying').hidden = false;
        $('text').focus();
      });
      item.append(reply);
    }
    if (c && !isRoom(c.key) && m.kind === 'mine' && m.id) {
      const receipt = document.createElement('span');
      receipt.className = 'meta receipt';
      receipt.dataset.receipt = receiptState(c, m);
      receipt.textContent = { sent: ' ✓', delivered: ' ✓✓', read: ' ✓✓ read' }[receipt.dataset.receipt];
      item.append(receipt);
    }
    if (c && m.kind === 'mine' && m.offset && !m.deleted) {
      item.append(ownMenu(c.key, m));
    }
    if (c && c.moderator && m.kind === 'theirs' && m.from && m.from !== 'server' && !m.deleted) {
      item.append(moderationMenu(c.key.slice(1), m));
    }
    return item;
  }

  // The reactions this page offers (the server's default set; a site with its own set refuses the others).
  const EMOJI = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

  /** A message's reactions as chips (count, and pressed when the user gave it; a click gives or takes it back), and one to add. */
  function reactionChips(key, m) {
    const chips = document.createElement('span');
    chips.className = 'reactions';
    const summary = m.reactions || {};
    Object.keys(summary).forEach((emoji) => {
      const mine = summary[emoji].users.indexOf(chat.user) >= 0 || (m.mine && m.mine.indexOf(emoji) >= 0);
      const chip = document.createElement('button');
      chip.type = 'button';
      chip.className = 'chip small' + (mine ? ' mine' : '');
      chip.dataset.emoji = emoji;
      chip.textContent = emoji + ' ' + summary[emoji].count;
      chip.addEventListener('click', () => ask.react(key, m.offset, emoji, mine));
      chips.append(chip);
    });
    const add = document.createElement('select');
    add.className = 'react small';
    add.setAttribute('aria-label', 'React');
    add.append(new Option('＋', ''));
    EMOJI.filter((e) => !summary[e]).forEach((e) => add.append(new Option(e, e)));
    add.addEventListener('change', () => { if (add.value) ask.react(key, m.offset, add.value, false); });
    chips.append(add);
    return chips;
  }

  /** One's own message or whisper: edit it (its text goes into the input, and Send saves it) or delete it. */
  function ownMenu(key, m) {
    const menu = document.createElement('span');
    menu.className = 'own';
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.className = 'link small';
    edit.dataset.action = 'edit';
    edit.textContent = 'edit';
    edit.addEventListener('click', () => {
      editing = { key: key, offset: m.offset };
      $('text').value = m.text;
      $('send').textContent = 'Save';
      $('text').focus();
    });
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'link small';
    remove.dataset.action = 'delete';
    remove.textContent = 'delete';
    remove.addEventListener('click', () => ask.remove(key, m.offset));
    menu.append(edit, remove);
    return menu;
  }

  /** A moderator's buttons on someone's message: mute its author for ten minutes, ban them, delete it. */
  function moderationMenu(room, m) {
    const menu = document.createElement('span');
    menu.className = 'moderation';
    const action = (label, run) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'link small';
      button.dataset.action = label;
      button.textContent = label;
      button.addEventListener('click', run);
      menu.append(button);
    };
    action('mute', () => chat.moderate('mute', room, { user: m.from, seconds: 600 }));
    action('ban', () => chat.moderate('ban', room, { user: m.from }));
    action('delete', () => chat.moderate('delete', room, { offset: m.offset }));
    return menu;
  }

  /** The input shows only where the user may say something: not in a read-only room, nor one they were banned from. */
  function showSayForm() {
    const c = active && conversations.get(active);
    const closed = c && isRoom(c.key) && (c.readOnly || c.banned);
    $('say-form').hidden = !!closed;
    $('room-status').textContent = !c ? '' : c.banned ? 'You were banned from this room.'
      : c.readOnly ? 'Read-only: only the site posts here.'
      : c.mutedUntil ? 'You are muted here' + (c.mutedUntil === true ? '.' : ' until ' + new Date(c.mutedUntil).toLocaleTimeString() + '.')
      : '';
  }

  function add(key, m) {
    const c = conversation(key);
    c.messages.push(m);
    if (key === active) {
      if (m.from) typing.messageFrom(m.from);
      $('messages').append(messageItem(m));
      $('messages').scrollTop = $('messages').scrollHeight;
      showOlder(); // the first messages of a room, replayed after its joined, tell whether older ones exist
      renderSeen();
      markRead();
    } else if (m.kind !== 'event') {
      c.unread++;
      renderConversations();
    }
  }

  function open(key) {
    const c = conversation(key);
    active = key;
    c.unread = 0;
    $('title').textContent = isRoom(key) ? 'Room ' + key : 'Private with ' + key.slice(1);
    $('leave').hidden = !isRoom(key);
    typing.show('');
    renderConversations();
    renderMembers();
    renderMessages();
    showSayForm();
    $('text').focus();
  }

  function start(issued, user) {
    if (chat) return;
    $('login').hidden = true;
    $('app').hidden = false;
    $('me').textContent = user;
    const firstRoom = params.get('room') || 'lobby';
    // Fresh tokens for the same name come from the same endpoint: this browser holds the name.
    // A token the site handed in the address is refreshed by nobody here: its grants are the site's to give.
    chat = Switchboard.chat({ token: issued.token, expiresAt: issued.expiresAt, rooms: [firstRoom],
      getToken: issued.handed ? undefined : () => Switchboard.requestToken(user) });
    window.switchboardChat = chat; // for the console (and the browser tests)
    conversation('#' + firstRoom);
    open('#' + firstRoom);

    chat.addEventListener('statechange', (e) => {
      $('state').textContent = e.detail.state;
      $('state').dataset.state = e.detail.state;
      if (e.detail.state === 'disconnected') $('notice').textContent = 'Connection lost; reconnecting…';
    });
    chat.addEventListener('close', (e) => {
      if (!e.detail.willReconnect) $('notice').textContent = 'Disconnected (' + e.detail.code + '). Reload the page to sign in again.';
    });
    chat.addEventListener('joined', (e) => {
      const c = conversation('#' + e.detail.room);
      c.members = (e.detail.members || []).slice(); // the first ones by name, in a big room; none where presence is off
      c.count = e.detail.count || 0;
      c.readOnly = !!e.detail.readOnly;
      c.moderator = !!e.detail.moderator;
      c.banned = false;
      c.reads = Object.assign({}, e.detail.reads || {});
      if (e.detail.recovered === true) $('notice').textContent = 'Reconnected: missed messages recovered.';
      if ('#' + e.detail.room === active) { renderMembers(); renderMessages(); showSayForm(); }
    });
    chat.addEventListener('left', (e) => {
      const c = conversation('#' + e.detail.room);
      const why = e.detail.reason === 'banned' ? 'You were banned from this room' + (e.detail.until ? ' until ' + new Date(e.detail.until).toLocaleString() : '')
        : e.detail.reason === 'expired' ? 'Your access to this room has expired' : 'You may no longer be in this room';
      c.banned = e.detail.reason === 'banned';
      c.readOnly = true;
      add(c.key, { kind: 'event', text: why + '.' });
      if (c.key === active) showSayForm();
    });
    chat.addEventListener('moderated', (e) => {
      const c = conversation('#' + e.detail.room);
      const muted = e.detail.action === 'mute';
      c.mutedUntil = muted ? (e.detail.until || true) : null;
      add(c.key, { kind: 'event', text: muted ? 'A moderator muted you' + (e.detail.until ? ' until ' + new Date(e.detail.until).toLocaleTimeString() : '') + '.'
        : 'You may speak again.' });
      if (c.key === active) showSayForm();
    });
    chat.addEventListener('slow_mode', (e) => {
      add('#' + e.detail.room, { kind: 'event', text: e.detail.seconds > 0
        ? 'Slow mode: one message every ' + e.detail.seconds + ' s.' : 'Slow mode is off.' });
    });
    /** Where a change belongs: a room, or the whispers with its other party. */
    const changed = (frame) => (frame.with !== undefined ? '@' + frame.with : '#' + frame.room);
    chat.addEventListener('deleted', (e) => {
      const c = conversation(changed(e.detail));
      const m = c.messages.find((x) => x.offset === e.detail.target);
      if (m) { m.deleted = true; if (c.key === active) renderMessages(); }
    });
    chat.addEventListener('reactions', (e) => {
      const c = conversation(changed(e.detail));
      const m = c.messages.find((x) => x.offset === e.detail.target);
      if (!m) return;
      m.reactions = e.detail.reactions;
      // Whether this user gave each one, past the 20 named: from what they did themselves.
      if (e.detail.by === chat.user) {
        m.mine = (m.mine || []).filter((x) => x !== e.detail.emoji).concat(e.detail.added ? [e.detail.emoji] : []);
      }
      if (c.key === active) renderMessages();
    });
    chat.addEventListener('edited', (e) => {
      const c = conversation(changed(e.detail));
      const m = c.messages.find((x) => x.offset === e.detail.target);
      if (m) { m.text = e.detail.text; m.edited = e.detail.ts; if (c.key === active) renderMessages(); }
    });
    chat.addEventListener('history', (e) => {
      const c = conversation('#' + e.detail.room);
      c.loading = false;
      c.more = e.detail.more;
      const older = e.detail.messages.slice().reverse() // oldest first, as the list is
        .filter((m) => !c.messages.some((x) => x.offset === m.offset))
        .map((m) => ({ kind: m.from === chat.user ? 'mine' : 'theirs', id: m.id, from: m.from, text: shown(m), ts: m.ts,
          offset: m.offset, deleted: !!m.deleted, edited: m.edited, replyTo: m.replyTo, reactions: m.reactions }));
      c.messages = older.concat(c.messages);
      if (c.key === active) {
        const list = $('messages');
        const fromBottom = list.scrollHeight - list.scrollTop;
        renderMessages();
        list.scrollTop = list.scrollHeight - fromBottom; // the reader stays where they were
      }
    });
    chat.addEventListener('reset', (e) => {
      const c = conversation('#' + e.detail.room);
      c.messages = [{ kind: 'event', text: 'You were away longer than the history reaches; showing the recent history.' }];
      $('notice').textContent = 'History reloaded for #' + e.detail.room + '.';
      if (c.key === active) renderMessages();
    });
    /** A message's text; one from the server API may carry only JSON data, shown as it is. */
    const shown = (m) => m.text !== undefined ? m.text : JSON.stringify(m.data);
    chat.addEventListener('message', (e) => {
      const m = e.detail;
      if (!conversations.has('#' + m.room)) return; // a room this page has left
      add('#' + m.room, { kind: m.from === chat.user ? 'mine' : 'theirs', id: m.id, from: m.from, text: shown(m), ts: m.ts,
        offset: m.offset, deleted: !!m.deleted, edited: m.edited, replyTo: m.replyTo, reactions: m.reactions });
    });
    chat.addEventListener('whisper', (e) => {
      const m = e.detail;
      const other = m.from === chat.user ? m.to : m.from;
      add('@' + other, { kind: m.from === chat.user ? 'mine' : 'theirs', id: m.id, from: m.from, text: shown(m), ts: m.ts,
        offset: m.offset, deleted: !!m.deleted, edited: m.edited, replyTo: m.replyTo, reactions: m.reactions });
    });
    chat.addEventListener('whispers', (e) => {
      Object.keys(e.detail.receipts || {}).forEach((user) => receiptOf.set(user, e.detail.receipts[user]));
      if (active && !isRoom(active)) renderMessages();
    });
    chat.addEventListener('receipts', (e) => {
      receiptOf.set(e.detail.with, { delivered: e.detail.delivered, read: e.detail.read });
      if (active === '@' + e.detail.with) renderMessages();
    });
    chat.addEventListener('reads', (e) => {
      const c = conversation('#' + e.detail.room);
      Object.assign(c.reads, e.detail.reads);
      if (c.key === active) renderSeen();
    });
    chat.addEventListener('watching', (e) => {
      e.detail.users.forEach((s) => statusOf.set(s.user, s));
      renderConversations();
    });
    chat.addEventListener('online', (e) => {
      statusOf.set(e.detail.user, { user: e.detail.user, online: true });
      renderConversations();
    });
    chat.addEventListener('offline', (e) => {
      statusOf.set(e.detail.user, { user: e.detail.user, online: false, lastSeen: e.detail.lastSeen });
      renderConversations();
    });
    chat.addEventListener('ack', (e) => {
      if (e.detail.status === 'stored') {
        add('@' + e.detail.to, { kind: 'event', text: e.detail.to + ' is offline: they will get it when they next connect.' });
      }
    });
    chat.addEventListener('presence', (e) => {
      // One frame per room per short interval: who joined and who left since the last one.
      const c = conversation('#' + e.detail.room);
      const joins = e.detail.joins || [];
      const leaves = e.detail.leaves || [];
      joins.forEach((name) => { if (c.members.indexOf(name) < 0) c.members.push(name); });
      c.members = c.members.filter((n) => leaves.indexOf(n) < 0);
      c.members.sort();
      c.count = e.detail.count;
      const others = (names) => names.filter((n) => n !== chat.user);
      if (others(joins).length) add(c.key, { kind: 'event', text: others(joins).join(', ') + ' joined' });
      if (others(leaves).length) add(c.key, { kind: 'event', text: others(leaves).join(', ') + ' left' });
      if (c.key === active) renderMembers();
    });
    chat.addEventListener('typing', (e) => {
      const key = e.detail.room ? '#' + e.detail.room : '@' + e.detail.from;
      if (key === active) typing.typing(e.detail.from);
    });
    chat.addEventListener('error', (e) => {
      $('notice').textContent = 'Not sent: ' + e.detail.message + ' (' + e.detail.code + ')';
    });
  }


  /**
   * A site that mints its own tokens (with grants, say) may open this page as chat.html#token=<jwt>: the
   * fragment never reaches a server or its logs, and the page signs in as the token's user.
   */
  const handed = new URLSearchParams(location.hash.slice(1)).get('token');
  if (handed) {
    try {
      const payload = JSON.parse(atob(handed.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
      history.replaceState(null, '', location.pathname + location.search); // out of the address bar
      start({ token: handed, handed: true }, payload.sub);
    } catch (err) {
      $('login-error').textContent = 'The token in the address is not a token.';
    }
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const name = $('username').value.trim();
    $('login-button').disabled = true;
    Switchboard.requestToken(name)
      .then((issued) => start(issued, name))
      .catch((err) => { $('login-error').textContent = err.message; })
      .finally(() => { $('login-button').disabled = false; });
  });

  $('join-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const room = $('room-name').value.trim();
    if (!room) return;
    chat.join(room);
    conversation('#' + room);
    open('#' + room);
    $('room-name').value = '';
  });

  $('older').addEventListener('click', loadOlder);
  document.addEventListener('visibilitychange', markRead); // back in view: what it shows is read now
  $('reply-cancel').addEventListener('click', stopReplying);
  $('messages').addEventListener('scroll', () => {
    if ($('messages').scrollTop === 0) loadOlder(); // scrolled up to the top: older ones come in above
  });
  $('leave').addEventListener('click', () => {
    if (!active || !isRoom(active)) return;
    chat.leave(active.slice(1));
    conversations.delete(active);
    const next = conversations.keys().next();
    active = null;
    if (!next.done) open(next.value); else renderConversations();
  });

  $('say-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const text = $('text').value;
    if (!text || !active) return;
    if (editing && active === editing.key) {
      ask.edit(editing.key, editing.offset, text);
      editing = null;
      $('send').textContent = 'Send';
      $('text').value = '';
      return;
    }
    const answering = replying && active === replying.key ? replying.offset : undefined;
    if (isRoom(active)) {
      chat.say(active.slice(1), text, answering);
    } else {
      chat.whisper(active.slice(1), text, answering); // shown when its copy comes back, as in a room
    }
    stopReplying();
    $('text').value = '';
  });

  $('text').addEventListener('input', () => {
    const now = Date.now();
    if (!chat || !active || now - lastTypingSent < 2000) return;
    lastTypingSent = now;
    chat.typing(isRoom(active) ? { room: active.slice(1) } : { to: active.slice(1) });
  });
})();
