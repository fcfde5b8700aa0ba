// Course sites: content tabs become a tab list; exercises become an editor run by Pyodide (served by Forge, loaded on
// the first « Lancer »). Without this script every tab panel is shown under its heading and exercises are plain code.
(function () {
  'use strict';
  var uid = 0;

  function tabs(set) {
    var panels = Array.prototype.filter.call(set.children, function (c) { return c.classList.contains('tabbed-panel'); });
    if (panels.length < 2) return;
    var list = document.createElement('div');
    list.setAttribute('role', 'tablist');
    var buttons = panels.map(function (panel, i) {
      var label = panel.querySelector('.tabbed-label');
      var id = 'tab-' + (++uid);
      var button = document.createElement('button');
      button.type = 'button';
      button.id = id;
      button.setAttribute('role', 'tab');
      button.textContent = label ? label.textContent : String(i + 1);
      panel.id = id + '-panel';
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', id);
      panel.tabIndex = 0;
      button.setAttribute('aria-controls', panel.id);
      if (label) label.hidden = true;
      list.appendChild(button);
      return button;
    });
    function select(index, focus) {
      buttons.forEach(function (b, i) {
        var on = i === index;
        b.setAttribute('aria-selected', on ? 'true' : 'false');
        b.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) buttons[index].focus();
    }
    buttons.forEach(function (b, i) {
      b.addEventListener('click', function () { select(i, false); });
      b.addEventListener('keydown', function (e) {
        var n = buttons.length, to = null;
        if (e.key === 'ArrowRight') to = (i + 1) % n;
        else if (e.key === 'ArrowLeft') to = (i - 1 + n) % n;
        else if (e.key === 'Home') to = 0;
        else if (e.key === 'End') to = n - 1;
        if (to !== null) { e.preventDefault(); select(to, true); }
      });
    });
    set.insertBefore(list, set.firstChild);
    select(0, false);
  }

  var config = document.querySelector('.course-exercises');
  var loading = null;
  function python() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = config.getAttribute('data-pyodide-js');
      script.onload = function () { window.loadPyodide({ indexURL: config.getAttribute('data-pyodide') }).then(resolve, reject); };
      script.onerror = function () { reject(new Error('Python n’a pas pu être chargé.')); };
      document.head.appendChild(script);
    });
    loading.catch(function () { loading = null; });
    return loading;
  }

  function lastLines(text, n) {
    var lines = String(text).trim().split('\n');
    return lines.slice(Math.max(0, lines.length - n)).join('\n');
  }

  function exercise(box) {
    var source = box.querySelector('pre.exercise-code');
    var testsPre = box.querySelector('pre.exercise-tests');
    if (!source) return;
    var id = 'exercice-' + (++uid);
    var label = document.createElement('label');
    label.setAttribute('for', id);
    label.textContent = 'Votre code Python';
    var editor = document.createElement('textarea');
    editor.id = id;
    editor.spellcheck = false;
    editor.value = source.textContent.replace(/\n$/, '');
    editor.addEventListener('keydown', function (e) {
      // Tab indents (Python needs it); Échap then Tab leaves the editor, as the hint says.
      if (e.key === 'Tab' && !e.shiftKey && !editor.dataset.escape) {
        e.preventDefault();
        var s = editor.selectionStart;
        editor.setRangeText('    ', s, editor.selectionEnd, 'end');
      }
      editor.dataset.escape = e.key === 'Escape' ? '1' : '';
    });
    var hint = document.createElement('p');
    hint.className = 'exercise-nojs';
    hint.id = id + '-aide';
    hint.textContent = 'Tab insère une indentation ; Échap puis Tab pour quitter l’éditeur.';
    editor.setAttribute('aria-describedby', hint.id);
    var actions = document.createElement('div');
    actions.className = 'exercise-actions';
    var run = document.createElement('button');
    run.type = 'button';
    run.textContent = 'Lancer';
    actions.appendChild(run);
    var check = null;
    if (testsPre) {
      check = document.createElement('button');
      check.type = 'button';
      check.textContent = 'Lancer les tests';
      actions.appendChild(check);
    }
    var output = document.createElement('pre');
    output.className = 'exercise-output';
    output.setAttribute('role', 'status');
    output.setAttribute('aria-live', 'polite');
    output.setAttribute('aria-label', 'Résultat');
    source.hidden = true;
    var nojs = box.querySelector('.exercise-nojs');
    if (nojs) nojs.hidden = true;
    box.insertBefore(label, source);
    box.insertBefore(editor, source);
    box.insertBefore(hint, source);
    box.insertBefore(actions, source);
    box.appendChild(output);

    function execute(withTests) {
      run.disabled = true;
      if (check) check.disabled = true;
      output.className = 'exercise-output';
      output.textContent = 'Chargement de Python… (la première fois, quelques secondes)';
      python().then(function (py) {
        var printed = [];
        py.setStdout({ batched: function (s) { printed.push(s); } });
        py.setStderr({ batched: function (s) { printed.push(s); } });
        var scope = py.globals.get('dict')();
        try {
          py.runPython(editor.value, { globals: scope });
          if (withTests) {
            py.runPython(testsPre.textContent, { globals: scope });
            output.className = 'exercise-output passed';
            output.textContent = (printed.length ? printed.join('\n') + '\n' : '') + '✔ Tous les tests sont passés.';
          } else {
            output.textContent = printed.length ? printed.join('\n') : '(Le programme s’est exécuté sans rien afficher.)';
          }
        } catch (e) {
          output.className = 'exercise-output failed';
          output.textContent = (printed.length ? printed.join('\n') + '\n' : '') +
            (withTests ? '✘ Un test a échoué :\n' : '✘ Erreur :\n') + lastLines(e.message, 4);
        } finally {
          scope.destroy();
        }
      }, function (e) {
        output.className = 'exercise-output failed';
        output.textContent = '✘ ' + e.message;
      }).then(function () {
        run.disabled = false;
        if (check) check.disabled = false;
      });
    }
    run.addEventListener('click', function () { execute(false); });
    if (check) check.addEventListener('click', function () { execute(true); });
  }

  document.querySelectorAll('.tabbed-set').forEach(tabs);
  if (config) document.querySelectorAll('.exercise').forEach(exercise);
})();
