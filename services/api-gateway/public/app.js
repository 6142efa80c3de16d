// The product and stock page. Talks only to the gateway's /api routes; every value
// from the API reaches the DOM through textContent or form properties, never as HTML.

const rowsBody = document.getElementById('product-rows');
const statusLine = document.getElementById('status');
const errorBox = document.getElementById('error');
const errorText = document.getElementById('error-text');
const createForm = document.getElementById('create-form');
const editDialog = document.getElementById('edit-dialog');
const editForm = document.getElementById('edit-form');
const editError = document.getElementById('edit-error');
const tokenDialog = document.getElementById('token-dialog');
const tokenForm = document.getElementById('token-form');
const tokenProblem = document.getElementById('token-problem');

// The write token lives in sessionStorage: this tab only, gone when it closes.
const TOKEN_KEY = 'berth-write-token';

const priceFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** An API answer that was not a success, with the message a person should read. */
class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Turns an error body from any of the services (or the gateway) into one readable sentence. */
function describeErrorBody(status, body) {
  if (body && typeof body === 'object') {
    const { detail } = body;
    let text = '';
    if (typeof detail === 'string') {
      text = detail;
    } else if (Array.isArray(detail)) {
      text = detail
        .map((item) =>
          item && typeof item === 'object' ? (item.msg ?? item.message ?? JSON.stringify(item)) : String(item),
        )
        .join('; ');
    } else if (typeof body.error === 'string' && typeof body.message === 'string' && body.message !== '') {
      text = `${body.error}: ${body.message}`;
    } else if (typeof body.error === 'string') {
      text = body.error;
    } else if (typeof body.message === 'string') {
      text = body.message;
    }
    if (typeof body.available === 'number') {
      text += ` (available: ${body.available})`;
    }
    if (text !== '') return text;
  }
  if (typeof body === 'string' && body.trim() !== '') return body.trim();
  return `Request failed with status ${status}`;
}

/** Asks for the write token in a dialog; resolves with it, or rejects when the person cancels. */
function askForToken(problem) {
  tokenProblem.textContent = problem ?? '';
  tokenProblem.hidden = problem === undefined;
  tokenForm.reset();
  return new Promise((resolve, reject) => {
    const finish = () => {
      tokenDialog.removeEventListener('close', finish);
      const token = tokenDialog.returnValue === 'use' ? tokenForm.elements.token.value.trim() : '';
      if (token === '') reject(new ApiError(401, 'Nothing was changed: a write token is needed for changes.'));
      else {
        sessionStorage.setItem(TOKEN_KEY, token);
        resolve(token);
      }
    };
    tokenDialog.returnValue = '';
    tokenDialog.addEventListener('close', finish);
    tokenDialog.showModal();
  });
}

document.getElementById('token-cancel').addEventListener('click', () => tokenDialog.close(''));

async function writeToken(problem) {
  if (problem === undefined) {
    const stored = sessionStorage.getItem(TOKEN_KEY);
    if (stored) return stored;
  }
  return askForToken(problem);
}

async function send(method, path, payload, token) {
  const init = { method, headers: { Accept: 'application/json' } };
  if (token !== undefined) init.headers.Authorization = `Bearer ${token}`;
  if (payload !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(payload);
  }
  try {
    return await fetch(path, init);
  } catch {
    throw new ApiError(0, 'The gateway could not be reached. Check that the services are running.');
  }
}

async function api(method, path, payload) {
  const isWrite = method !== 'GET';
  let response = await send(method, path, payload, isWrite ? await writeToken() : undefined);
  if (isWrite && response.status === 401) {
    // A wrong or rotated token: ask once more, then give up with the gateway's message.
    sessionStorage.removeItem(TOKEN_KEY);
    const token = await writeToken('That token was not accepted (it may have been rotated). Enter a current one.');
    response = await send(method, path, payload, token);
    if (response.status === 401) sessionStorage.removeItem(TOKEN_KEY);
  }
  if (response.status === 204) return null;
  const raw = await response.text();
  let body = raw;
  if (raw !== '') {
    try {
      body = JSON.parse(raw);
    } catch {
      // A non-JSON body is shown as text.
    }
  }
  if (!response.ok) throw new ApiError(response.status, describeErrorBody(response.status, body));
  return body;
}

function showError(message) {
  errorText.textContent = message;
  errorBox.hidden = false;
}

function clearError() {
  errorText.textContent = '';
  errorBox.hidden = true;
}

function announce(message) {
  statusLine.textContent = message;
}

/** Runs one user action: clears the old error, shows the new one if the action fails. */
async function perform(action) {
  clearError();
  try {
    await action();
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function button(label, accessibleName, onClick, className) {
  const element = document.createElement('button');
  element.type = onClick ? 'button' : 'submit';
  element.textContent = label;
  element.setAttribute('aria-label', accessibleName);
  if (className) element.className = className;
  if (onClick) element.addEventListener('click', onClick);
  return element;
}

function numberInput(accessibleName, attributes) {
  const input = document.createElement('input');
  input.type = 'number';
  input.step = '1';
  input.required = true;
  input.setAttribute('aria-label', accessibleName);
  for (const [key, value] of Object.entries(attributes)) input.setAttribute(key, value);
  return input;
}

/** Stock controls for a product that has an inventory row: add or remove units atomically. */
function adjustForm(product) {
  const form = document.createElement('form');
  form.className = 'inline';
  form.setAttribute('aria-label', `Change stock of ${product.name}`);
  const delta = numberInput(`Stock change for ${product.name}`, { placeholder: '±units', size: '6' });
  form.append(delta, button('Apply', `Apply stock change to ${product.name}`));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = Number(delta.value);
    if (!Number.isInteger(value) || value === 0) {
      showError('Enter a whole number of units to add (positive) or remove (negative).');
      return;
    }
    void perform(async () => {
      // The product listing carries quantities but not inventory ids, so the row is looked up by product.
      const item = await api('GET', `/api/inventory/product/${product.id}`);
      const updated = await api('POST', `/api/inventory/${item.id}/adjust`, { delta: value });
      announce(`Stock of ${product.name} is now ${updated.quantity}.`);
      await loadProducts();
    });
  });
  return form;
}

/** Stock controls for a product without an inventory row: create one. */
function createInventoryForm(product) {
  const form = document.createElement('form');
  form.className = 'inline';
  form.setAttribute('aria-label', `Add stock record for ${product.name}`);
  const quantity = numberInput(`Initial stock for ${product.name}`, { min: '0', placeholder: 'units', size: '6' });
  const warehouse = document.createElement('input');
  warehouse.setAttribute('aria-label', `Warehouse for ${product.name}`);
  warehouse.placeholder = 'warehouse';
  warehouse.maxLength = 100;
  warehouse.size = 10;
  form.append(quantity, warehouse, button('Add stock', `Add stock record for ${product.name}`));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const units = Number(quantity.value);
    if (quantity.value === '' || !Number.isInteger(units) || units < 0) {
      showError('Initial stock must be a whole number of units, zero or more.');
      return;
    }
    const payload = { product_id: product.id, quantity: units };
    if (warehouse.value.trim() !== '') payload.warehouse = warehouse.value.trim();
    void perform(async () => {
      await api('POST', '/api/inventory', payload);
      announce(`Stock record created for ${product.name}.`);
      await loadProducts();
    });
  });
  return form;
}

function productRow(product) {
  const row = document.createElement('tr');
  row.dataset.productId = String(product.id);
  const nameCell = document.createElement('th');
  nameCell.scope = 'row';
  nameCell.textContent = product.name;
  if (product.description) nameCell.title = product.description;
  const inventory = product.inventory;

  const stockCell = cell(inventory ? String(inventory.quantity) : 'none', 'number');
  if (inventory && inventory.quantity === 0) stockCell.classList.add('empty');
  const controls = document.createElement('td');
  controls.append(inventory ? adjustForm(product) : createInventoryForm(product));
  const actions = document.createElement('td');
  actions.className = 'actions';
  actions.append(
    button('Edit', `Edit ${product.name}`, () => openEditor(product)),
    button('Delete', `Delete ${product.name}`, () => deleteProduct(product), 'danger'),
  );

  row.append(
    cell(String(product.id), 'number'),
    nameCell,
    cell(product.category ?? '—'),
    cell(priceFormat.format(product.price), 'number'),
    stockCell,
    cell(inventory ? (inventory.warehouse ?? '—') : '—'),
    controls,
    actions,
  );
  return row;
}

/** Replaces the table body with one full-width line of text. */
function renderMessage(text) {
  const row = document.createElement('tr');
  const only = cell(text);
  only.colSpan = 8;
  row.append(only);
  rowsBody.replaceChildren(row);
}

function renderProducts(products) {
  if (products.length === 0) renderMessage('No products yet. Create one above.');
  else rowsBody.replaceChildren(...products.map(productRow));
}

async function loadProducts() {
  const products = await api('GET', '/api/products-full');
  renderProducts(Array.isArray(products) ? products : []);
}

/** Reads a product form into the body the product service expects; empty optional fields become null. */
function productFields(form) {
  const data = new FormData(form);
  const text = (name) => String(data.get(name) ?? '').trim();
  return {
    name: text('name'),
    price: Number(text('price')),
    description: text('description') === '' ? null : text('description'),
    category: text('category') === '' ? null : text('category'),
  };
}

/** Drops null optional fields for a create, where leaving them out means "none". */
function withoutNulls(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== null));
}

createForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const fields = productFields(createForm);
  void perform(async () => {
    const created = await api('POST', '/api/products', withoutNulls(fields));
    createForm.reset();
    announce(`Created ${created.name} (id ${created.id}).`);
    await loadProducts();
  });
});

function openEditor(product) {
  editForm.elements.id.value = String(product.id);
  editForm.elements.name.value = product.name;
  editForm.elements.price.value = String(product.price);
  editForm.elements.category.value = product.category ?? '';
  editForm.elements.description.value = product.description ?? '';
  editError.hidden = true;
  editError.textContent = '';
  editDialog.dataset.original = JSON.stringify({
    name: product.name,
    price: product.price,
    description: product.description ?? null,
    category: product.category ?? null,
  });
  editDialog.showModal();
}

editForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const id = editForm.elements.id.value;
  const original = JSON.parse(editDialog.dataset.original ?? '{}');
  const fields = productFields(editForm);
  // Only changed fields are sent: the product service applies partial updates.
  const changes = Object.fromEntries(Object.entries(fields).filter(([key, value]) => original[key] !== value));
  if (Object.keys(changes).length === 0) {
    editDialog.close();
    return;
  }
  void (async () => {
    try {
      const updated = await api('PUT', `/api/products/${id}`, changes);
      editDialog.close();
      clearError();
      announce(`Saved ${updated.name}.`);
      await loadProducts();
    } catch (error) {
      editError.textContent = error instanceof Error ? error.message : String(error);
      editError.hidden = false;
    }
  })();
});

document.getElementById('edit-cancel').addEventListener('click', () => editDialog.close());

function deleteProduct(product) {
  if (!window.confirm(`Delete ${product.name}? Its stock record goes with it.`)) return;
  void perform(async () => {
    await api('DELETE', `/api/products/${product.id}`);
    announce(`Deleted ${product.name}.`);
    await loadProducts();
  });
}

document.getElementById('refresh').addEventListener('click', () =>
  perform(async () => {
    await loadProducts();
    announce('List refreshed.');
  }),
);
document.getElementById('error-dismiss').addEventListener('click', clearError);

void perform(async () => {
  try {
    await loadProducts();
  } catch (error) {
    renderMessage('The products could not be loaded. Use Refresh to try again.');
    throw error;
  }
});
