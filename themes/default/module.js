// Training modules. Without an account, the learner's progress (pages seen, best quiz scores) is kept in this browser's
// localStorage and shown on the outline; without JavaScript nothing is kept (the page says so). Also: the certificate's
// « Imprimer » button. Everything here is an enhancement: the pages work without it.
(function () {
  'use strict';
  document.querySelectorAll('.print-button').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () { window.print(); });
  });

  var root = document.querySelector('.module[data-module-local="true"]');
  if (!root) return;
  var key = root.getAttribute('data-module-key');
  var state = {};
  try { state = JSON.parse(window.localStorage.getItem(key) || '{}') || {}; } catch (e) { state = {}; }
  if (!Array.isArray(state.seen)) state.seen = [];
  if (typeof state.quizzes !== 'object' || state.quizzes === null) state.quizzes = {};

  var seen = root.getAttribute('data-module-seen');
  if (seen && state.seen.indexOf(seen) < 0 && state.seen.length < 5000) state.seen.push(seen);
  var quiz = root.getAttribute('data-module-quiz');
  var score = parseInt(root.getAttribute('data-module-score') || '', 10);
  if (quiz && !isNaN(score) && !(state.quizzes[quiz] >= score)) state.quizzes[quiz] = score;
  try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage full or refused: nothing kept */ }

  var summary = document.getElementById('module-progress');
  if (!summary || !summary.getAttribute('data-template')) return;
  var count = 0;
  root.querySelectorAll('[data-module-page]').forEach(function (item) {
    if (state.seen.indexOf(item.getAttribute('data-module-page')) < 0) return;
    count++;
    item.classList.add('seen');
    var mark = document.createElement('span');
    mark.className = 'visually-hidden';
    mark.textContent = ' ' + (root.getAttribute('data-seen-label') || '');
    var tick = document.createElement('span');
    tick.setAttribute('aria-hidden', 'true');
    tick.textContent = ' ✓';
    item.append(mark, tick);
  });
  root.querySelectorAll('[data-module-section]').forEach(function (section) {
    var best = state.quizzes[section.getAttribute('data-module-section')];
    var link = section.querySelector('.module-quiz-link');
    if (link && typeof best === 'number') link.append(' · ' + (root.getAttribute('data-quiz-label') || '{0} %').replace('{0}', best));
  });
  summary.textContent = summary.getAttribute('data-template').replace('{0}', count).replace('{1}', summary.getAttribute('data-total'));
})();
