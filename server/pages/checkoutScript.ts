import { buttonColors, checkoutLanguages, ledgerCurrencies, placements, productTypes } from '../domain/button/buttonOptions.js';
import { changeActions } from '../domain/button/changeActions.js';
import { SIGNING_ALGORITHMS } from '../signing/algorithms.js';

/**
 * The stand-in for https://static-{na,eu,fe}.payments-amazon.com/checkout.js: `amazon.Pay` with
 * renderButton (returning a button with onClick and initCheckout), bindChangeAction and signout,
 * as Amazon's "Amazon Pay script" reference documents them (plus the older `createCheckoutSession:
 * {url, method, extractAmazonCheckoutSessionId}` form, where the merchant's endpoint creates the
 * session and the script only takes the buyer to sign-in). A click sends the buyer, with the
 * signed payload, to the mock that served the script (a form POST, so long payloads fit); the mock
 * verifies the signature and creates the session. Options of the wrong type and selectors that
 * match nothing throw, as Amazon's script does. No outside assets: the button is drawn with DOM
 * and inline style properties (allowed under a merchant's style-src policy, unlike <style>).
 */

const lists = JSON.stringify({ productTypes, ledgerCurrencies, placements, buttonColors, checkoutLanguages, algorithms: SIGNING_ALGORITHMS, changeActions });

/** The script's text. `origin` is found at run time from the script's own URL. */
export const checkoutScript = `/* amazon-pay-mock checkout.js: a local stand-in for Amazon Pay's script; no real payment is made. */
(function () {
  'use strict';
  var LISTS = ${lists};
  var script = document.currentScript;
  var ORIGIN = script && script.src ? new URL(script.src).origin : location.origin;
  var PREFIX = 'Amazon Pay (amazon-pay-mock): ';

  function fail(message, Kind) { throw new (Kind || Error)(PREFIX + message); }
  function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function checkType(name, value, type) {
    if (value === undefined || value === null) return;
    if (typeof value !== type) fail("the option '" + name + "' must be a " + type + ', not ' + (Array.isArray(value) ? 'an array' : typeof value) + '.', TypeError);
  }
  function requireType(name, value, type) {
    if (value === undefined || value === null) fail("the option '" + name + "' is required.", TypeError);
    checkType(name, value, type);
  }
  function checkEnum(name, value, allowed) {
    checkType(name, value, 'string');
    if (value !== undefined && value !== null && allowed.indexOf(value) === -1) fail("the option '" + name + "' must be one of " + allowed.join(', ') + ", not '" + value + "'.", RangeError);
  }
  function requireEnum(name, value, allowed) {
    requireType(name, value, 'string');
    checkEnum(name, value, allowed);
  }
  function checkPrice(name, value) {
    if (value === undefined || value === null) return;
    if (!isObject(value)) fail("the option '" + name + "' must be an object {amount, currencyCode}.", TypeError);
    requireType(name + '.amount', value.amount, 'string');
    requireType(name + '.currencyCode', value.currencyCode, 'string');
  }
  function requireConfig(name, config) {
    if (config === undefined || config === null) fail("the option '" + name + "' is required for this productType.", TypeError);
    checkConfig(name, config);
  }
  function checkConfig(name, config) {
    if (config === undefined || config === null) return;
    if (!isObject(config)) fail("the option '" + name + "' must be an object {payloadJSON, signature, publicKeyId}.", TypeError);
    requireType(name + '.payloadJSON', config.payloadJSON, 'string');
    requireType(name + '.signature', config.signature, 'string');
    checkType(name + '.publicKeyId', config.publicKeyId, 'string');
    checkEnum(name + '.algorithm', config.algorithm, LISTS.algorithms);
  }
  function element(selector, what) {
    if (typeof selector !== 'string' || selector === '') fail(what + ' needs a CSS selector string as its first argument.', TypeError);
    var found;
    try { found = document.querySelector(selector); } catch (e) { fail("'" + selector + "' is not a valid selector.", SyntaxError); }
    if (!found) fail("no element matches '" + selector + "'.");
    return found;
  }

  var COLORS = {
    Gold: { background: '#FFD814', border: '#FCD200', text: '#0F1111' },
    LightGray: { background: '#E7E9EC', border: '#ADB1B8', text: '#0F1111' },
    DarkGray: { background: '#232F3E', border: '#131A22', text: '#FFFFFF' }
  };

  function drawButton(container, options) {
    var colors = COLORS[options.buttonColor || 'Gold'];
    var signIn = options.productType === 'SignIn';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'amazonpay-button-mock';
    button.setAttribute('data-product-type', options.productType || 'PayAndShip');
    button.setAttribute('data-button-color', options.buttonColor || 'Gold');
    Object.assign(button.style, {
      display: 'flex', alignItems: 'center', justifyContent: 'center', gap: '0.3em', boxSizing: 'border-box',
      width: '100%', minWidth: '150px', maxWidth: '750px', minHeight: '45px', padding: '0 16px',
      background: colors.background, color: colors.text, border: '1px solid ' + colors.border, borderRadius: '8px',
      font: '600 17px/1 Arial, Helvetica, sans-serif', cursor: 'pointer'
    });
    // The visible words are the accessible name (WCAG 2.5.3: no aria-label that differs from them).
    var brand = document.createElement('span');
    brand.textContent = signIn ? 'Sign in with ' : '';
    var word = document.createElement('span');
    word.style.fontWeight = '700';
    word.style.fontSize = '19px';
    word.textContent = 'amazon';
    var pay = document.createElement('span');
    pay.style.fontWeight = '400';
    pay.textContent = signIn ? '' : ' pay';
    pay.style.whiteSpace = 'pre';
    brand.appendChild(word);
    brand.appendChild(pay);
    button.appendChild(brand);
    button.addEventListener('focus', function () { button.style.outline = '3px solid ' + (colors.text === '#FFFFFF' ? '#FFD814' : '#0066C0'); button.style.outlineOffset = '2px'; });
    button.addEventListener('blur', function () { button.style.outline = ''; });
    container.replaceChildren(button);
    return button;
  }

  function post(path, fields) {
    var form = document.createElement('form');
    form.method = 'POST';
    form.action = ORIGIN + path;
    form.style.display = 'none';
    Object.keys(fields).forEach(function (name) {
      if (fields[name] === undefined || fields[name] === null) return;
      var input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = String(fields[name]);
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
  }

  function common(options) {
    return {
      merchantId: options.merchantId, ledgerCurrency: options.ledgerCurrency, placement: options.placement,
      checkoutLanguage: options.checkoutLanguage, sandbox: options.sandbox === true ? 'true' : 'false',
      origin: location.href
    };
  }

  function startCheckout(options, request) {
    var config = request.createCheckoutSessionConfig;
    var fields = common(options);
    fields.productType = request.productType || options.productType || 'PayAndShip';
    fields.payloadJSON = config.payloadJSON;
    fields.signature = config.signature;
    fields.publicKeyId = config.publicKeyId || options.publicKeyId;
    fields.algorithm = config.algorithm;
    var amount = request.estimatedOrderAmount || options.estimatedOrderAmount;
    if (amount) fields.estimatedOrderAmount = JSON.stringify(amount);
    if (!fields.publicKeyId) fail("createCheckoutSessionConfig.publicKeyId (or the option 'publicKeyId') is required.", TypeError);
    post('/checkout/start', fields);
  }

  // The older form of the button: the merchant's own endpoint creates the session and answers JSON.
  function startFromEndpoint(config) {
    var key = config.extractAmazonCheckoutSessionId || 'checkoutSessionId';
    fetch(config.url, { method: config.method || 'POST', credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('createCheckoutSession.url answered ' + response.status + '.');
        return response.json();
      })
      .then(function (body) {
        var id = body && body[key];
        if (typeof id !== 'string' || id === '') throw new Error("the answer of createCheckoutSession.url has no string '" + key + "'.");
        location.assign(ORIGIN + '/checkout/signin?amazonCheckoutSessionId=' + encodeURIComponent(id));
      })
      .catch(function (err) { console.error(PREFIX + err.message); });
  }

  function checkEndpoint(config) {
    if (config === undefined || config === null) return;
    if (!isObject(config)) fail("the option 'createCheckoutSession' must be an object {url, method, extractAmazonCheckoutSessionId}.", TypeError);
    requireType('createCheckoutSession.url', config.url, 'string');
    checkEnum('createCheckoutSession.method', config.method, ['GET', 'POST']);
    checkType('createCheckoutSession.extractAmazonCheckoutSessionId', config.extractAmazonCheckoutSessionId, 'string');
  }

  function startSignIn(options) {
    var config = options.signInConfig;
    var fields = common(options);
    fields.payloadJSON = config.payloadJSON;
    fields.signature = config.signature;
    fields.publicKeyId = config.publicKeyId || options.publicKeyId;
    fields.algorithm = config.algorithm;
    if (!fields.publicKeyId) fail("signInConfig.publicKeyId (or the option 'publicKeyId') is required.", TypeError);
    post('/checkout/amazon-signin', fields);
  }

  function renderButton(selector, options) {
    var container = element(selector, 'renderButton');
    if (!isObject(options)) fail('renderButton needs an options object as its second argument.', TypeError);
    requireType('merchantId', options.merchantId, 'string');
    requireEnum('ledgerCurrency', options.ledgerCurrency, LISTS.ledgerCurrencies);
    requireEnum('placement', options.placement, LISTS.placements);
    checkEnum('productType', options.productType, LISTS.productTypes);
    checkEnum('buttonColor', options.buttonColor, LISTS.buttonColors);
    checkEnum('checkoutLanguage', options.checkoutLanguage, LISTS.checkoutLanguages);
    checkType('sandbox', options.sandbox, 'boolean');
    checkType('publicKeyId', options.publicKeyId, 'string');
    checkPrice('estimatedOrderAmount', options.estimatedOrderAmount);
    var signIn = options.productType === 'SignIn';
    (signIn ? requireConfig : checkConfig)('signInConfig', options.signInConfig);
    checkConfig('createCheckoutSessionConfig', options.createCheckoutSessionConfig);
    checkEndpoint(options.createCheckoutSession);
    var clickHandler = null;
    var element_ = drawButton(container, options);
    element_.addEventListener('click', function (event) {
      event.preventDefault();
      if (signIn) return startSignIn(options);
      if (clickHandler) return clickHandler();
      if (!options.createCheckoutSessionConfig && options.createCheckoutSession) return startFromEndpoint(options.createCheckoutSession);
      if (!options.createCheckoutSessionConfig) fail('this button has no createCheckoutSessionConfig (or createCheckoutSession): pass one to renderButton, or call initCheckout from onClick.', TypeError);
      startCheckout(options, { createCheckoutSessionConfig: options.createCheckoutSessionConfig });
    });
    return {
      onClick: function (callback) {
        if (typeof callback !== 'function') fail('onClick needs a function.', TypeError);
        clickHandler = callback;
      },
      initCheckout: function (request) {
        if (!isObject(request)) fail('initCheckout needs an object {createCheckoutSessionConfig, estimatedOrderAmount, productType}.', TypeError);
        requireConfig('createCheckoutSessionConfig', request.createCheckoutSessionConfig);
        checkPrice('estimatedOrderAmount', request.estimatedOrderAmount);
        checkEnum('productType', request.productType, ['PayAndShip', 'PayOnly']);
        startCheckout(options, request);
      }
    };
  }

  function bindChangeAction(selector, options) {
    var target = element(selector, 'bindChangeAction');
    if (!isObject(options)) fail('bindChangeAction needs an options object {amazonCheckoutSessionId, changeAction}.', TypeError);
    requireType('amazonCheckoutSessionId', options.amazonCheckoutSessionId, 'string');
    requireEnum('changeAction', options.changeAction, LISTS.changeActions);
    target.addEventListener('click', function (event) {
      event.preventDefault();
      location.assign(ORIGIN + '/checkout/change?amazonCheckoutSessionId=' + encodeURIComponent(options.amazonCheckoutSessionId) + '&changeAction=' + encodeURIComponent(options.changeAction));
    });
  }

  // The mock keeps no buyer signed in between checkouts, so there is nothing to end.
  function signout() {}

  window.amazon = window.amazon || {};
  window.amazon.Pay = { renderButton: renderButton, bindChangeAction: bindChangeAction, signout: signout };
})();
`;
